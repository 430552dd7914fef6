import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { REPO_ROOT } from './support/build-ui';
import { expectNotice, expectText, gridRow } from './support/expect-ui';
import { ADMIN, startUiSystem, type UiSystem } from './support/system';

/**
 * The token exchange completed by the example partner app (examples/third-party-app, started by the
 * launcher as `third-party-app`): Activate opens its identity-link page in a window, the partner
 * exchanges its tokens with the gateway, returns to /admin/oauth/success, and the grid turns Active.
 *
 * Skipped (not failed) while examples/third-party-app is missing from the tree. Its pages:
 * `POST /callback` (credentials), `GET /login` (identity link, one "Link your store account" button
 * that runs the exchange), `POST /call` (a signed call through the store with its access token).
 */
const PARTNER_MAIN = 'examples/third-party-app/src/main.ts';
const PARTNER_CALLBACK_PATH = '/callback';
const PARTNER_LOGIN_PATH = '/login';
const partnerApp = existsSync(join(REPO_ROOT, PARTNER_MAIN));

jest.setTimeout(240_000);

(partnerApp ? describe : describe.skip)('admin UI: token exchange with the example partner app', () => {
  let s: UiSystem;
  let browser: TestBrowser;
  let page: Page;
  let partner: string;

  beforeAll(async () => {
    s = await startUiSystem('exchange');
    partner = s.system.urls['third-party-app'];
    if (!partner) throw new Error(`the launcher did not start third-party-app although ${PARTNER_MAIN} exists`);
    browser = await launchBrowser(s.gateway);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });
  afterEach(async () => {
    await page?.close();
  });

  it('activates through the partner window, then reauthorizes the same way', async () => {
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
  });
});

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
