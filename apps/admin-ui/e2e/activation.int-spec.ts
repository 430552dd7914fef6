import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { REPO_ROOT } from './support/build-ui';
import { closedPort, startCallbackReceiver } from './support/callback-receiver';
import { eventually, expectNotice, expectText, gridRow } from './support/expect-ui';
import { signedGet, type IntegrationCredentials } from './support/signed-call';
import { ADMIN, seedConfigIntegration, startUiSystem, type UiSystem } from './support/system';

/**
 * Activate and Reauthorize without token exchange (the tokens popup), Save & Activate, a Reset row,
 * the token exchange completed by the example partner app, and the exchange's failure modes (popup
 * blocked, partner never exchanging, callback down), in Debian's chromium against the whole running
 * platform. The credentials the UI shows are used for real signed API calls.
 */
jest.setTimeout(240_000);

const TOKEN = /^[0-9a-z]{32}$/;
/**
 * The example partner (started by the launcher as `third-party-app`): `POST /callback` takes the
 * credentials, `GET /login` is the identity link (one "Link your store account" button that runs the
 * exchange against the gateway), `POST /call` makes a signed call with the token it obtained.
 */
const PARTNER_MAIN = 'examples/third-party-app/src/main.ts';
const PARTNER_CALLBACK_PATH = '/callback';
const PARTNER_LOGIN_PATH = '/login';
const partnerApp = existsSync(join(REPO_ROOT, PARTNER_MAIN));
const CATALOG = ['Magento_Catalog::catalog', 'Magento_Catalog::catalog_inventory', 'Magento_Catalog::products'];

describe('admin UI: activation', () => {
  let s: UiSystem;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    s = await startUiSystem('activation');
    browser = await launchBrowser(s.gateway);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });
  afterEach(async () => {
    await page?.close();
  });

  let first: IntegrationCredentials;

  it('activates without exchange: the requested resources, Allow, the tokens popup with copy buttons, Done', async () => {
    await s.api.createIntegration({ name: 'Catalog Reader', resourceAccess: 'custom', resources: CATALOG });
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?name=catalog');
    await gridRow(page, 'Catalog Reader').getByRole('button', { name: 'Activate Catalog Reader' }).click();

    const permissions = page.getByRole('dialog', { name: 'Activate "Catalog Reader"' });
    await permissions.waitFor();
    expect(
      await permissions.getByRole('list', { name: 'Requested resources' }).getByRole('listitem').allInnerTexts(),
    ).toEqual(['Catalog', 'Inventory', 'Products']);
    await permissions.getByLabel('Your Password').fill(ADMIN.password);
    await screenshot(page, 'activate-permissions');
    await permissions.getByRole('button', { name: 'Allow' }).click();

    const tokens = page.getByRole('dialog', { name: 'Integration Tokens for Extensions' });
    await tokens.waitFor();
    first = await readCredentials(tokens);
    for (const value of Object.values(first)) expect(value).toMatch(TOKEN);
    expect(await tokens.getByRole('note').innerText()).toMatch(/will not be shown again/);
    await tokens.getByRole('button', { name: 'Copy Consumer Secret' }).click();
    await expectText(tokens.getByRole('button', { name: 'Copy Consumer Secret' }), 'Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first.consumerSecret);
    await screenshot(page, 'tokens-popup');
    await page.setViewportSize({ width: 768, height: 1024 });
    await screenshot(page, 'tokens-popup');
    await page.setViewportSize({ width: 1280, height: 900 });

    await tokens.getByRole('button', { name: 'Done' }).click();
    await tokens.waitFor({ state: 'detached' });
    await expectNotice(page, "The integration 'Catalog Reader' has been activated.", 'success');
    const row = gridRow(page, 'Catalog Reader');
    await expectText(row.locator('.col-status'), 'Active');
    expect(await row.getByRole('button', { name: 'Reauthorize Catalog Reader' }).innerText()).toBe('Reauthorize');
    // The secrets are not left in the page once the popup is closed.
    expect(await page.content()).not.toContain(first.consumerSecret);
    await screenshot(page, 'grid-activated');

    // What the popup showed are working credentials: a signed call goes through the gateway.
    expect(await signedGet(s.gateway, '/rest/V1/products', first)).toBe(200);
  });

  it('reauthorizes with the same dialogs: new access token, same consumer key; the old token stops working', async () => {
    expect(first).toBeDefined();
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?name=catalog');
    await gridRow(page, 'Catalog Reader').getByRole('button', { name: 'Reauthorize Catalog Reader' }).click();
    const permissions = page.getByRole('dialog', { name: 'Reauthorize "Catalog Reader"' });
    await permissions.getByLabel('Your Password').fill(ADMIN.password);
    const answered = page.waitForResponse((r) => r.url().endsWith('/reauthorize'));
    await permissions.getByRole('button', { name: 'Reauthorize' }).click();
    expect((await answered).status()).toBe(200);

    const tokens = page.getByRole('dialog', { name: 'Integration Tokens for Extensions' });
    await tokens.waitFor();
    const second = await readCredentials(tokens);
    expect(second.consumerKey).toBe(first.consumerKey);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.accessTokenSecret).not.toBe(first.accessTokenSecret);
    await tokens.getByRole('button', { name: 'Done' }).click();
    await expectNotice(page, "The integration 'Catalog Reader' has been re-authorized.", 'success');

    expect(await signedGet(s.gateway, '/rest/V1/products', second)).toBe(200);
    expect(await signedGet(s.gateway, '/rest/V1/products', first)).toBe(401);
  });

  it('keeps the permissions dialog open with the error when the password is wrong', async () => {
    await s.api.createIntegration({ name: 'Password Check' });
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?name=password');
    await gridRow(page, 'Password Check').getByRole('button', { name: 'Activate Password Check' }).click();
    const permissions = page.getByRole('dialog', { name: 'Activate "Password Check"' });
    expect(await permissions.innerText()).toContain('All resources');
    await permissions.getByRole('button', { name: 'Allow' }).click();
    await expectText(permissions.locator('.field-error'), 'This is a required field.');
    await permissions.getByLabel('Your Password').fill('wrong password');
    await permissions.getByRole('button', { name: 'Allow' }).click();
    await expectText(permissions.locator('.field-error'), 'This is not your current admin password.');
    await screenshot(page, 'activate-wrong-password');
    await permissions.getByRole('button', { name: 'Cancel' }).click();
    await permissions.waitFor({ state: 'detached' });
    expect((await s.api.findByName('Password Check'))?.status).toBe('inactive');
  });

  it('Save & Activate: saves, asks no password again, shows the tokens, then the grid with both notices', async () => {
    page = await browser.newPage(768);
    await signIn(page, s.gateway, ADMIN, '/admin/integrations/new');
    await page.getByLabel('Name').fill('Quick Start');
    await page.getByRole('tab', { name: 'API' }).click();
    await page.getByLabel('Resource Access').selectOption({ label: 'All' });
    expect(await page.locator('.resource-tree').count()).toBe(0);
    await page.getByRole('tab', { name: 'Integration Info' }).click();
    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Save & Activate' }).click();

    const permissions = page.getByRole('dialog', { name: 'Activate "Quick Start"' });
    await permissions.waitFor();
    expect(await permissions.getByLabel('Your Password').count()).toBe(0);
    await screenshot(page, 'save-and-activate-permissions');
    await permissions.getByRole('button', { name: 'Allow' }).click();
    const tokens = page.getByRole('dialog', { name: 'Integration Tokens for Extensions' });
    const credentials = await readCredentials(tokens);
    await tokens.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await expectNotice(page, "The integration 'Quick Start' has been saved.", 'success');
    await expectNotice(page, "The integration 'Quick Start' has been activated.", 'success');
    await expectText(gridRow(page, 'Quick Start').locator('.col-status'), 'Active');
    expect(await signedGet(s.gateway, '/rest/V1/products', credentials)).toBe(200);
  });

  it('a Reset row says "Activate" but runs the reauthorize flow', async () => {
    await seedConfigIntegration(s, 'Feed Extension', { reset: true });
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?name=feed');
    const row = gridRow(page, 'Feed Extension');
    await expectText(row.locator('.col-status'), 'Reset');
    await row.getByRole('button', { name: 'Activate Feed Extension' }).click();
    const permissions = page.getByRole('dialog', { name: 'Reauthorize "Feed Extension"' });
    await permissions.getByLabel('Your Password').fill(ADMIN.password);
    const request = page.waitForRequest(
      (r) => r.method() === 'POST' && /\/integrations\/[^/]+\/(activate|reauthorize)$/.test(r.url()),
    );
    await permissions.getByRole('button', { name: 'Reauthorize' }).click();
    expect((await request).url()).toMatch(/\/reauthorize$/);
    const tokens = page.getByRole('dialog', { name: 'Integration Tokens for Extensions' });
    const credentials = await readCredentials(tokens);
    await tokens.getByRole('button', { name: 'Done' }).click();
    await expectNotice(page, "The integration 'Feed Extension' has been re-authorized.", 'success');
    await expectText(row.locator('.col-status'), 'Active');
    expect(await signedGet(s.gateway, '/rest/V1/products', credentials)).toBe(200);
  });

  // Skipped (not failed) while examples/third-party-app is missing from the tree.
  (partnerApp ? it : it.skip)(
    'exchange: completed by the example partner app in its window, for Activate then Reauthorize',
    async () => {
      const partner = s.system.urls['third-party-app'];
      if (!partner) throw new Error(`the launcher did not start third-party-app although ${PARTNER_MAIN} exists`);
      await s.api.createIntegration({
        name: 'Partner Shop',
        callbackUrl: `${partner}${PARTNER_CALLBACK_PATH}`,
        identityLinkUrl: `${partner}${PARTNER_LOGIN_PATH}`,
        resourceAccess: 'custom',
        resources: ['Magento_Catalog::catalog', 'Magento_Catalog::catalog_inventory', 'Magento_Catalog::products'],
      });
      page = await browser.newPage(1280);
      await signIn(page, s.gateway, ADMIN, '/admin/?name=partner');

      for (const step of [
        {
          link: 'Activate',
          dialog: 'Activate "Partner Shop"',
          button: 'Allow',
          notice: "The integration 'Partner Shop' has been activated.",
        },
        {
          link: 'Reauthorize',
          dialog: 'Reauthorize "Partner Shop"',
          button: 'Reauthorize',
          notice: "The integration 'Partner Shop' has been re-authorized.",
        },
      ]) {
        await gridRow(page, 'Partner Shop')
          .getByRole('button', { name: `${step.link} Partner Shop` })
          .click();
        const dialog = page.getByRole('dialog', { name: step.dialog });
        await dialog.getByLabel('Your Password').fill(ADMIN.password);
        const popupOpened = page.waitForEvent('popup');
        await dialog.getByRole('button', { name: step.button }).click();
        const popup = await popupOpened;
        const closed = popup.waitForEvent('close', { timeout: 60_000 });
        await popup.waitForURL((url) => url.href.startsWith(partner));
        const loginUrl = popup.url();
        expect(loginUrl.startsWith(`${partner}${PARTNER_LOGIN_PATH}?`)).toBe(true);
        await screenshot(popup, `partner-identity-link-${step.link.toLowerCase()}`);
        await completePartnerSignIn(popup);

        await closed;
        await expectNotice(page, step.notice, 'success');
        await expectText(gridRow(page, 'Partner Shop').locator('.col-status'), 'Active');
        await screenshot(page, `exchange-${step.link.toLowerCase()}d`);
        // The partner holds a working access token now.
        const consumerKey = new URL(loginUrl).searchParams.get('oauth_consumer_key')!;
        expect(await partnerCall(partner, consumerKey)).toBe(200);
      }
    },
  );

  it('exchange: says so when the popup blocker refuses the identity-link window', async () => {
    const partner = await startCallbackReceiver();
    try {
      await s.api.createIntegration({
        name: 'Blocked Partner',
        callbackUrl: `${partner.url}/callback`,
        identityLinkUrl: `${partner.url}/login`,
      });
      page = await browser.newPage(1280);
      // What a popup blocker does to window.open.
      await page.addInitScript(() => {
        window.open = () => null;
      });
      await signIn(page, s.gateway, ADMIN, '/admin/?name=blocked');
      await gridRow(page, 'Blocked Partner').getByRole('button', { name: 'Activate Blocked Partner' }).click();
      const permissions = page.getByRole('dialog', { name: 'Activate "Blocked Partner"' });
      await permissions.getByLabel('Your Password').fill(ADMIN.password);
      await permissions.getByRole('button', { name: 'Allow' }).click();

      const waiting = page.getByRole('dialog', { name: 'Activate "Blocked Partner"' });
      await expectText(
        waiting.getByRole('alert'),
        'Popup Blocker is enabled! Please add this site to your exception list.',
      );
      await expectNotice(page, "Integration 'Blocked Partner' has been sent for activation.", 'info');
      expect(partner.received).toHaveLength(1);
      expect(Object.keys(partner.received[0]).sort()).toEqual([
        'oauth_consumer_key',
        'oauth_consumer_secret',
        'oauth_verifier',
        'store_base_url',
      ]);
      await screenshot(page, 'exchange-popup-blocked');
      await waiting.getByRole('button', { name: 'Stop Waiting' }).click();
      await waiting.waitFor({ state: 'detached' });
      expect((await s.api.findByName('Blocked Partner'))?.status).toBe('inactive');
    } finally {
      await partner.close();
    }
  });

  it('exchange: opens the identity link at 680x510; the partner returns to /admin/oauth/success, which tells the admin page and closes itself', async () => {
    const partner = await startCallbackReceiver();
    try {
      await s.api.createIntegration({
        name: 'Returning Partner',
        callbackUrl: `${partner.url}/callback`,
        identityLinkUrl: `${partner.url}/login`,
      });
      page = await browser.newPage(1280);
      // Records what the page asks window.open for (the browser under test ignores sizes).
      await page.addInitScript(() => {
        const open = window.open.bind(window);
        (window as unknown as { opened: unknown[] }).opened = [];
        window.open = (...args: Parameters<typeof window.open>) => {
          (window as unknown as { opened: unknown[] }).opened.push(args);
          return open(...args);
        };
      });
      await signIn(page, s.gateway, ADMIN, '/admin/?name=returning');
      // Listens as the admin page does (a same-origin BroadcastChannel: the popup has no opener).
      const told = page.evaluate(
        () =>
          new Promise<{ origin: string; data: unknown }>((resolve) => {
            const channel = new BroadcastChannel('integrations-admin:oauth');
            channel.addEventListener('message', (e) => resolve({ origin: e.origin, data: e.data }), { once: true });
          }),
      );
      await gridRow(page, 'Returning Partner').getByRole('button', { name: 'Activate Returning Partner' }).click();
      const dialog = page.getByRole('dialog', { name: 'Activate "Returning Partner"' });
      await dialog.getByLabel('Your Password').fill(ADMIN.password);
      const popupOpened = page.waitForEvent('popup');
      await dialog.getByRole('button', { name: 'Allow' }).click();
      const popup = await popupOpened;
      // Reverse tabnabbing: the partner's page must not be able to navigate the admin's tab.
      expect(await popup.evaluate(() => window.opener)).toBeNull();
      const closed = popup.isClosed() ? Promise.resolve() : popup.waitForEvent('close', { timeout: 30_000 });
      const visited: string[] = [];
      popup.on('framenavigated', (frame) => {
        if (frame === popup.mainFrame()) visited.push(frame.url());
      });
      const [[, name, features]] = await page.evaluate(() => (window as unknown as { opened: string[][] }).opened);
      expect(name).toBe('integration-authorization');
      expect(features).toMatch(/width=680,height=510/);
      await expectText(dialog.getByRole('status'), /Waiting for Returning Partner to complete the activation/);
      await screenshot(page, 'exchange-waiting');

      // The success page shows for about a second, then closes itself (Magento's loginSuccessCallback).
      await closed;
      expect(visited.map((url) => new URL(url).pathname)).toEqual(expect.arrayContaining(['/admin/oauth/success']));
      expect(await told).toEqual({
        origin: new URL(s.gateway).origin,
        data: { type: 'integrations-admin:oauth-success', search: expect.any(String) },
      });

      // The identity link carried the consumer key the callback received, and our success URL.
      expect(partner.logins).toHaveLength(1);
      expect(partner.logins[0].get('oauth_consumer_key')).toBe(partner.received[0].oauth_consumer_key);
      expect(partner.logins[0].get('success_call_back')).toBe(`${s.gateway}/admin/oauth/success`);
      // This partner never exchanged its tokens: the admin is told, the integration stays inactive.
      await expectText(
        dialog.getByRole('alert'),
        /The activation of "Returning Partner" was not completed/,
        'the incomplete message',
      );
      expect((await s.api.findByName('Returning Partner'))?.status).toBe('inactive');
      await screenshot(page, 'exchange-incomplete');
    } finally {
      await partner.close();
    }
  });

  it("exchange: shows Magento's message when the credentials POST to the callback URL fails", async () => {
    const port = await closedPort();
    await s.api.createIntegration({
      name: 'Down Partner',
      callbackUrl: `http://127.0.0.1:${port}/callback`,
      identityLinkUrl: `http://127.0.0.1:${port}/login`,
    });
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?name=down');
    await gridRow(page, 'Down Partner').getByRole('button', { name: 'Activate Down Partner' }).click();
    const permissions = page.getByRole('dialog', { name: 'Activate "Down Partner"' });
    await permissions.getByLabel('Your Password').fill(ADMIN.password);
    const popups: Page[] = [];
    page.context().on('page', (p) => popups.push(p));
    const answered = page.waitForResponse((r) => r.url().endsWith('/activate'));
    await permissions.getByRole('button', { name: 'Allow' }).click();
    expect((await answered).status()).toBe(502);
    await permissions.waitFor({ state: 'detached' });
    const text = await eventually(
      () => page.locator('.notices .notice-error .notice-text').allInnerTexts(),
      (texts) => texts.length > 0,
      'the error notice',
    );
    expect(text[0]).toMatch(
      /^The attempt to post data to consumer failed due to an unexpected error\. Please try again later\./,
    );
    // The window opened for the identity link is closed again.
    await eventually(
      async () => popups.every((p) => p.isClosed()),
      (closed) => closed,
      'the identity-link window to close',
    );
    expect((await s.api.findByName('Down Partner'))?.status).toBe('inactive');
    await screenshot(page, 'exchange-callback-failed');
  });
});

async function readCredentials(tokens: Locator): Promise<IntegrationCredentials> {
  await tokens.waitFor();
  const value = (label: string) => tokens.getByLabel(label, { exact: true }).inputValue();
  return {
    consumerKey: await value('Consumer Key'),
    consumerSecret: await value('Consumer Secret'),
    accessToken: await value('Access Token'),
    accessTokenSecret: await value('Access Token Secret'),
  };
}

/** The partner's identity-link page: one button that runs the exchange and returns to the store. */
async function completePartnerSignIn(popup: Page): Promise<void> {
  await popup.getByRole('button', { name: 'Link your store account' }).click();
}

/** The partner calls the store's API with the access token it obtained (signed by the partner). */
async function partnerCall(partner: string, consumerKey: string): Promise<number> {
  const response = await fetch(
    `${partner}/call?path=${encodeURIComponent('/rest/V1/products')}&consumer_key=${consumerKey}`,
    { method: 'POST' },
  );
  if (response.status !== 200) return response.status;
  return ((await response.json()) as { status: number }).status;
}
