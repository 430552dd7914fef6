import type { Page } from 'playwright-core';
import { launchBrowser, openAccountMenu, openMenu, screenshot, signIn, type TestBrowser } from './support/browser';
import { breadcrumbs, expectNotice, expectText, eventually } from './support/expect-ui';
import { addAdmin, ADMIN, startUiSystem, type UiSystem } from './support/system';

/**
 * Signing in and out, an ended session that keeps the admin's unsaved work, the lockout message,
 * and Stores › Configuration: in Debian's chromium against the whole running platform.
 */
jest.setTimeout(240_000);

const LOCKABLE = { username: 'night-shift', password: 'a long enough password 7' };

describe('admin UI: session and settings', () => {
  let s: UiSystem;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    s = await startUiSystem('session', { ADMIN_LOCKOUT_THRESHOLD: '3' });
    addAdmin(s, LOCKABLE.username, LOCKABLE.password);
    browser = await launchBrowser(s.gateway);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });
  beforeEach(async () => {
    page = await browser.newPage(1280);
  });
  afterEach(async () => {
    await page?.close();
  });

  it('signs in (after a wrong password) and out; the token is revoked on the server', async () => {
    await page.goto(`${s.gateway}/admin/`);
    await page.getByRole('heading', { name: 'Welcome, please sign in' }).waitFor();
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(
      page.getByRole('alert'),
      'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.',
    );
    await screenshot(page, 'login-wrong-password');

    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    const token = await page.evaluate(() => sessionStorage.getItem('integrations-admin.token'));
    expect(token).toBeTruthy();
    expect((await s.api.call('GET', '/admin/v1/auth/me', undefined, token!)).status).toBe(200);

    await openAccountMenu(page);
    await page.getByRole('button', { name: 'Sign Out' }).click();
    await expectText(page.getByRole('status').first(), 'You have logged out.');
    expect(await page.evaluate(() => sessionStorage.getItem('integrations-admin.token'))).toBeNull();
    expect((await s.api.call('GET', '/admin/v1/auth/me', undefined, token!)).status).toBe(401);
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome, please sign in' }).waitFor();
    await screenshot(page, 'logged-out');
  });

  it('keeps the unsaved form when the session ends, and restores it after signing in again', async () => {
    await signIn(page, s.gateway);
    await page.getByRole('link', { name: 'Add New Integration' }).click();
    await page.getByLabel('Name').fill('Session Keeper');
    await page.getByLabel('Email').fill('keeper@example.com');
    await page.getByLabel('Callback URL').fill('https://keeper.example.com/callback');
    await page.getByRole('tab', { name: 'API' }).click();
    await page.getByLabel('Resource Access').selectOption('custom');
    await page.getByRole('checkbox', { name: 'Carts', exact: true }).check();
    await page.getByRole('tab', { name: 'Integration Info' }).click();
    await page.getByLabel('Your Password').fill(ADMIN.password);

    // The session ends behind the admin's back (expiry, or a sign-out elsewhere).
    const token = await page.evaluate(() => sessionStorage.getItem('integrations-admin.token'));
    expect((await s.api.call('POST', '/admin/v1/auth/logout', undefined, token!)).status).toBe(204);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Welcome, please sign in' }).waitFor();
    await expectText(page.getByRole('status').first(), /Your admin session has ended\..*unsaved changes/);
    await screenshot(page, 'session-ended');
    // Nothing was created with the ended session.
    expect(await s.api.findByName('Session Keeper')).toBeUndefined();

    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'New Integration' }).waitFor();
    await expectNotice(page, 'Your unsaved changes were restored. Enter your password and save them.', 'info');
    expect(await page.getByLabel('Name').inputValue()).toBe('Session Keeper');
    expect(await page.getByLabel('Email').inputValue()).toBe('keeper@example.com');
    expect(await page.getByLabel('Callback URL').inputValue()).toBe('https://keeper.example.com/callback');
    // The password is never kept.
    expect(await page.getByLabel('Your Password').inputValue()).toBe('');
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(ADMIN.password);
    await screenshot(page, 'session-restored-form');

    await page.getByRole('tab', { name: 'API' }).click();
    expect(await page.getByRole('checkbox', { name: 'Carts', exact: true }).isChecked()).toBe(true);
    await page.getByRole('tab', { name: 'Integration Info' }).click();
    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectNotice(page, "The integration 'Session Keeper' has been saved.", 'success');
    const saved = await s.api.findByName('Session Keeper');
    expect(saved).toMatchObject({
      resourceAccess: 'custom',
      resources: ['Magento_Cart::cart', 'Magento_Cart::manage'],
    });
  });

  it('saves OAuth settings and Allow Anonymous Guest Access with Save Config, each in its section of Stores › Configuration › Services', async () => {
    await signIn(page, s.gateway);
    await openMenu(page, 'stores', 'configuration');
    // Stores › Configuration opens on Services › Magento Web API; each section has its own address.
    await eventually(
      async () => new URL(page.url()).pathname,
      (path) => path === '/admin/config/webapi',
      'the Magento Web API section',
    );
    await page.getByRole('heading', { name: 'Configuration', level: 1 }).waitFor();
    expect(await breadcrumbs(page)).toBe('Stores › Settings › Configuration › Services › Magento Web API');
    const guest = page.getByRole('group', { name: 'Web API Security' }).getByLabel('Allow Anonymous Guest Access');
    expect(await guest.inputValue()).toBe('0');
    expect(await page.getByLabel('Expiration Period').count()).toBe(0);

    const sections = page.getByRole('navigation', { name: 'Configuration sections' });
    await sections.getByRole('link', { name: 'OAuth' }).click();
    const consumer = page.getByRole('group', { name: 'Consumer Settings' });
    const consumerExpiry = consumer.getByLabel('Expiration Period');
    await consumerExpiry.waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/config/oauth');
    expect(await consumerExpiry.inputValue()).toBe('300');
    expect(
      await consumer.getByLabel('Allow OAuth Access Tokens to be used as standalone Bearer tokens').inputValue(),
    ).toBe('0');
    // Groups fold like Magento's.
    await consumer.getByRole('button', { name: 'Consumer Settings' }).click();
    expect(await consumerExpiry.isVisible()).toBe(false);
    await consumer.getByRole('button', { name: 'Consumer Settings' }).click();
    expect(await consumerExpiry.isVisible()).toBe(true);

    // Checked in the page before the round trip, worded with the setting's own bounds (in the locale's digits).
    await consumerExpiry.fill('0');
    await page.getByRole('button', { name: 'Save Config' }).click();
    await expectText(page.locator('.field-invalid .field-error'), 'Please enter a whole number between 1 and 86,400.');
    // The config service's own refusal (an allow-list entry that is no host), by its code, next to its field.
    await consumerExpiry.fill('600');
    const allowList = page.getByLabel('Credentials POST allow-list');
    const allowListBefore = await allowList.inputValue();
    await allowList.fill('not a host!');
    // The allow-list is a security setting: the password is asked for (step-up) before it is checked.
    await page.getByLabel('Your Password').fill(ADMIN.password);
    const refused = page.waitForResponse((r) => r.url().endsWith('/admin/v1/config') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save Config' }).click();
    expect((await refused).status()).toBe(400);
    await expectText(
      page.locator('.field-invalid .field-error'),
      'Enter host names, IP addresses or CIDR ranges, separated by commas.',
    );
    await expectNotice(page, 'The configuration was not saved. Correct the fields marked below.', 'error');
    await screenshot(page, 'settings-error');
    expect((await s.api.call('GET', '/admin/v1/config')).body.values['oauth/consumer/expiration_period']).toBe(300);

    await allowList.fill(allowListBefore);
    await page.getByRole('button', { name: 'Save Config' }).click();
    await expectNotice(page, 'You saved the configuration.', 'success');
    // Another session (the test's API client) reads the change once the gateway has it: wait for it.
    await eventually(
      async () => (await s.api.call('GET', '/admin/v1/config')).body.values['oauth/consumer/expiration_period'],
      (value) => value === 600,
      'the new expiration period through the API',
    );

    await sections.getByRole('link', { name: 'Magento Web API' }).click();
    await guest.selectOption({ label: 'Yes' });
    // Guest access is a security setting too: without the current password it is refused.
    await page.getByLabel('Your Password').fill('');
    await page.getByRole('button', { name: 'Save Config' }).click();
    await expectText(page.locator('.field-invalid .field-error'), 'Your current admin password is required.');
    await expectNotice(page, 'Enter your current password to confirm this change.', 'error');
    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Save Config' }).click();
    await expectNotice(page, 'You saved the configuration.', 'success');
    await screenshot(page, 'settings-saved');
    await eventually(
      async () => (await s.api.call('GET', '/admin/v1/config')).body.values['webapi/webapisecurity/allow_insecure'],
      (value) => value === true,
      'guest access on through the API',
    );

    // The old address of the page still leads here.
    await page.goto(`${s.gateway}/admin/settings`);
    await eventually(
      async () => new URL(page.url()).pathname,
      (path) => path === '/admin/config/webapi',
      '/admin/settings to lead to the Web API section',
    );
    await eventually(
      () => page.getByLabel('Allow Anonymous Guest Access').inputValue(),
      (v) => v === '1',
      'guest access Yes after reload',
    );
    await page.setViewportSize({ width: 768, height: 1024 });
    await screenshot(page, 'settings');
  });

  it('after too many wrong passwords, the right one gets the same answer as a wrong one (no lockout oracle)', async () => {
    await page.goto(`${s.gateway}/admin/`);
    const attempt = async (password: string) => {
      await page.getByLabel('Username').fill(LOCKABLE.username);
      await page.getByLabel('Password', { exact: true }).fill(password);
      const answered = page.waitForResponse((r) => r.url().endsWith('/admin/v1/auth/login'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      const status = (await answered).status();
      return { status, message: await expectText(page.getByRole('alert'), /./) };
    };
    const wrong = [];
    for (let i = 0; i < 3; i++) wrong.push(await attempt(`wrong ${i}`));
    expect(wrong.map((w) => w.status)).toEqual([401, 401, 401]);
    // Locked (threshold 3 here): the right password is refused with Magento's words for any refusal.
    const right = await attempt(LOCKABLE.password);
    expect(right).toEqual(wrong[2]);
    expect(right.message).toBe(
      'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.',
    );
    expect(await page.getByRole('button', { name: 'Sign Out' }).count()).toBe(0);
    await screenshot(page, 'login-locked');
  });
});
