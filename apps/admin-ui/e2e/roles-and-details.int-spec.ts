import type { Page } from 'playwright-core';
import { launchBrowser, openAccountMenu, screenshot, signIn, type TestBrowser } from './support/browser';
import { escapeRegExp, eventually, expectText, gridRow } from './support/expect-ui';
import { type Catalogue, checkFrench, EN_US, FR_FR, frenchCatalogue } from './support/no-leak';
import { addAdmin, ADMIN, startUiSystem, type UiSystem } from './support/system';

/**
 * Admin roles in the browser, and Integration Details on the Edit page, in English and in French.
 * A viewer sees the grid without "Add New Integration", disabled Activate and Delete with the
 * reason, the Edit page read-only with Integration Details, and Stores › Configuration as Magento's
 * "you need permissions" page; an integrations manager sees the security settings disabled with
 * the reason. Integration Details: the consumer key in full, the access token by its last 4
 * characters, never a secret. In French, the no-leak check on every page. Screenshots at 1280 wide
 * (test-output/screenshots/roles-*).
 */
jest.setTimeout(300_000);

const NAME = 'Synchro Catalogue';
const VIEWER = { username: 'vera-viewer', password: 'a viewer password 123' };
const MANAGER = { username: 'manny-manager', password: 'a manager password 123' };
type Locale = 'en-US' | 'fr-FR';
const CATALOGUES: Record<Locale, Record<string, string>> = { 'en-US': EN_US, 'fr-FR': FR_FR };
/** The catalogue's text with `{role}`-like arguments filled in (plain arguments only). */
const text = (locale: Locale, id: string, values: Record<string, string> = {}) =>
  CATALOGUES[locale][id].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);

describe('admin UI: roles and Integration Details', () => {
  let s: UiSystem;
  let id: string;
  let credentials: { consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string };
  let catalogue: Catalogue;
  const checked: Array<{ page: string; texts: number }> = [];

  beforeAll(async () => {
    s = await startUiSystem('roles');
    catalogue = frenchCatalogue();
    addAdmin(s, VIEWER.username, VIEWER.password, 'viewer');
    addAdmin(s, MANAGER.username, MANAGER.password, 'integrations-manager');
    id = (await s.api.createIntegration({ name: NAME, email: 'ops@partner.example.com' })).id;
    const activated = await s.api.call('POST', `/admin/v1/integrations/${id}/activate`, {
      currentPassword: ADMIN.password,
    });
    expect(activated.status).toBe(200);
    credentials = activated.body.credentials;
  });
  afterAll(async () => {
    process.stdout.write(`[admin-ui e2e] roles French no-leak check: ${JSON.stringify(checked)}\n`);
    await s?.stop();
  });

  async function expectNoEnglish(page: Page, locale: Locale, what: string): Promise<void> {
    if (locale !== 'fr-FR') return;
    const data = [VIEWER.username, MANAGER.username, ADMIN.username, NAME, credentials.consumerKey];
    const report = await checkFrench(page, catalogue, data);
    checked.push({ page: what, texts: report.checked });
    expect({ page: what, leaks: report.leaks }).toEqual({ page: what, leaks: [] });
  }

  /** What no page may show: the secrets and the whole access token. */
  async function expectNoSecret(page: Page): Promise<void> {
    const html = await page.content();
    for (const secret of [credentials.consumerSecret, credentials.accessToken, credentials.accessTokenSecret])
      expect(html).not.toContain(secret);
  }

  describe.each(['en-US', 'fr-FR'] as const)('in %s', (locale) => {
    let browser: TestBrowser;
    beforeAll(async () => {
      browser = await launchBrowser(s.gateway, { locale });
    });
    afterAll(async () => {
      await browser?.close();
    });
    const role = (key: string) => text(locale, key);

    it('a viewer: the grid without changes, with the reason; the Edit page read-only with Integration Details', async () => {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, VIEWER);
      const row = gridRow(page, NAME);
      await row.waitFor();
      expect(await page.locator('a[href="/admin/integrations/new"]').count()).toBe(0);
      await expectText(
        page.locator('.role-note'),
        text(locale, 'role.readOnlyIntegrations', { role: role('role.viewer') }),
      );
      const activate = row.locator('.col-activate button');
      expect(await activate.getAttribute('aria-disabled')).toBe('true');
      expect(await activate.getAttribute('title')).toBe(text(locale, 'role.notAllowed', { role: role('role.viewer') }));
      expect(await row.locator('.col-delete button').getAttribute('aria-disabled')).toBe('true');
      // A click on the disabled action (focusable, aria-disabled) opens nothing.
      await activate.dispatchEvent('click');
      expect(await page.locator('[role="dialog"]').count()).toBe(0);
      await openAccountMenu(page);
      await expectText(page.locator('.account-role'), text(locale, 'account.role', { role: role('role.viewer') }));
      await page.locator('.account-toggle').click();
      await screenshot(page, `roles-viewer-grid-${locale}`);
      await expectNoEnglish(page, locale, 'grille (lecteur)');

      await row.locator('.col-edit a').first().click();
      await page.locator('.details-section .details-grid').waitFor();
      expect(await page.locator('.page-actions button').count()).toBe(0);
      await expectText(
        page.locator('[data-credential="tokens.consumerKey"] td').first(),
        credentials.consumerKey,
        'the consumer key in full',
      );
      await expectText(
        page.locator('[data-credential="tokens.accessToken"] td').first(),
        text(locale, 'details.endsWith', { last4: credentials.accessToken.slice(-4) }),
        'the token by its last 4 characters',
      );
      expect(await page.locator('[data-credential="tokens.consumerSecret"] td').first().innerText()).toBe(
        text(locale, 'details.shownOnce'),
      );
      await expectText(page.locator('.details-why'), text(locale, 'details.why'));
      expect(await page.locator('.rotate-open').count()).toBe(0);
      await expectNoSecret(page);
      await screenshot(page, `roles-viewer-edit-details-${locale}`);
      await expectNoEnglish(page, locale, 'modifier (lecteur, détails)');
      await page.close();
    });

    it('a viewer: Stores › Configuration is the permission-denied page, naming the role', async () => {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, VIEWER, '/admin/config/oauth');
      const denied = page.locator('.permission-denied [role="alert"]');
      await expectText(
        denied,
        new RegExp(
          `^${escapeRegExp(text(locale, 'role.denied.title'))}\\s+${escapeRegExp(
            text(locale, 'role.denied.config', { role: role('role.viewer') }),
          )}$`,
        ),
      );
      expect(await page.locator('.settings-page form').count()).toBe(0);
      await screenshot(page, `roles-permission-denied-${locale}`);
      await expectNoEnglish(page, locale, 'configuration refusée (lecteur)');
      await page.close();
    });

    it('a manager: security settings disabled with the reason, the others editable; the API answers a forced change with the 403 in the locale', async () => {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, MANAGER, '/admin/config/webapi');
      const guest = page.locator('[name="webapi/webapisecurity/allow_insecure"]');
      await guest.waitFor();
      expect(await guest.isDisabled()).toBe(true);
      await expectText(
        page.locator('.setting-locked').first(),
        text(locale, 'role.securitySetting'),
        'the reason under the setting',
      );
      await screenshot(page, `roles-manager-settings-${locale}`);
      await expectNoEnglish(page, locale, 'configuration (gestionnaire)');
      // The OAuth section: the cleanup settings stay editable, HMAC-SHA1 and the allow-list do not.
      await page.goto(`${s.gateway}/admin/config/oauth`);
      await page.locator('[name="oauth/cleanup/expiration_period"]').waitFor();
      expect(await page.locator('[name="oauth/cleanup/expiration_period"]').isDisabled()).toBe(false);
      expect(await page.locator('[name="oauth/signature/allow_hmac_sha1"]').isDisabled()).toBe(true);
      // Forced through the disabled field: the gateway's 403, in the interface locale, naming the role.
      await page.locator('[name="oauth/signature/allow_hmac_sha1"]').evaluate((select: HTMLSelectElement) => {
        select.disabled = false;
      });
      await page.locator('[name="oauth/signature/allow_hmac_sha1"]').selectOption('1');
      await page.locator('.settings-page button[type="submit"]').click();
      await eventually(
        () => page.locator('.notices .notice-error .notice-text').allInnerTexts(),
        (texts) => texts.includes(text(locale, 'error.ADMIN.FORBIDDEN', { role: role('role.integrationsManager') })),
        'the 403 in the interface locale',
      );
      await screenshot(page, `roles-manager-forbidden-${locale}`);
      await expectNoEnglish(page, locale, 'refus 403 (gestionnaire)');
      await page.close();
    });

    it('an administrator: the Edit page with Integration Details', async () => {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, ADMIN, `/admin/integrations/${id}`);
      await page.locator('.details-section .details-grid').waitFor();
      expect(await page.locator('.role-note').count()).toBe(0);
      await expectText(page.locator('[data-credential="tokens.consumerKey"] td').first(), credentials.consumerKey);
      await expectNoSecret(page);
      await screenshot(page, `roles-admin-edit-details-${locale}`);
      await expectNoEnglish(page, locale, 'modifier (administrateur, détails)');

      // Rotate consumer secret: the password, then the new secret shown this once.
      const issuedBefore = await page
        .locator('[data-credential="tokens.consumerSecret"] time')
        .getAttribute('datetime');
      await page.locator('.rotate-open').click();
      await page.locator('.rotate-dialog input[type="password"]').fill(ADMIN.password);
      await expectNoEnglish(page, locale, 'renouveler le secret (mot de passe)');
      await page.locator('.rotate-confirm').click();
      const secret = await eventually(
        () => page.locator('#rotated-secret').inputValue(),
        (value) => /^[0-9a-z]{32}$/.test(value),
        'the new consumer secret',
      );
      expect(secret).not.toBe(credentials.consumerSecret);
      await expectText(page.locator('.rotate-previous'), text(locale, 'rotate.previousStopped'));
      await screenshot(page, `roles-rotate-secret-${locale}`);
      await expectNoEnglish(page, locale, 'renouveler le secret (nouveau secret)');
      await page.locator('.rotate-done').click();
      await eventually(
        () => page.locator('[data-credential="tokens.consumerSecret"] time').getAttribute('datetime'),
        (issued) => issued !== issuedBefore,
        'the secret shown as issued again',
      );
      // Shown once: gone from the page with the dialog.
      expect(await page.content()).not.toContain(secret);
      credentials = { ...credentials, consumerSecret: secret };
      await page.close();
    });
  });
});
