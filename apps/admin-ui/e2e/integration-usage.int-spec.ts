import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { launchBrowser, SCREENSHOTS, screenshot, signIn, type TestBrowser } from './support/browser';
import { eventually, expectText } from './support/expect-ui';
import { type Catalogue, checkFrench, frenchCatalogue } from './support/no-leak';
import { signedGet, type IntegrationCredentials } from './support/signed-call';
import { ADMIN, type Json, startUiSystem, type UiSystem, waitFor } from './support/system';

/**
 * "API Usage" on the Edit page, on the whole platform as processes: calls made through the gateway
 * with an integration's credentials (accepted, refused by the acl, no route, bad signature), then the
 * section in English and in French (the no-leak check), with its chart and refusals by reason; and
 * the history of a partner notification the outbound guard refused, in French. Screenshots at 1280
 * wide: test-output/screenshots/usage-*.
 */
jest.setTimeout(300_000);

const NAME = 'Catalog Sync';
const NOTIFIED = 'Notified Partner';
const SPACES = /[\s\u00a0\u202f]+/g;
const plain = (text: string) => text.replace(SPACES, ' ').trim();

let s: UiSystem;
let integration: { id: string };
let credentials: IntegrationCredentials;

beforeAll(async () => {
  // Usage flushed often, so the page shows the calls without waiting 5 s.
  s = await startUiSystem('usage', { GATEWAY_USAGE_FLUSH_MS: '300' });
  integration = await s.api.createIntegration({
    name: NAME,
    resourceAccess: 'custom',
    resources: ['Magento_Catalog::products'],
  });
  const activated = await s.api.call('POST', `/admin/v1/integrations/${integration.id}/activate`, {
    currentPassword: ADMIN.password,
  });
  expect(activated.status).toBe(200);
  credentials = activated.body.credentials;

  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push(await signedGet(s.gateway, '/rest/V1/products', credentials));
  for (let i = 0; i < 3; i++) statuses.push(await signedGet(s.gateway, '/rest/V1/orders', credentials));
  for (let i = 0; i < 2; i++) statuses.push(await signedGet(s.gateway, '/rest/V1/nowhere', credentials));
  const wrong = { ...credentials, consumerSecret: 'x'.repeat(32) };
  for (let i = 0; i < 2; i++) statuses.push(await signedGet(s.gateway, '/rest/V1/products', wrong));
  expect(statuses).toEqual([...Array(12).fill(200), 403, 403, 403, 404, 404, 401, 401]);
  await waitFor(async () => {
    const usage = await s.api.call('GET', `/admin/v1/integrations/${integration.id}/usage`);
    return usage.body?.totals?.calls === 19;
  }, 'the 19 calls in the usage API');
});

afterAll(async () => {
  await s?.stop();
});

/** The figures of the section as the page shows them: label -> value. */
async function figures(page: Page): Promise<Record<string, string>> {
  const items = page.locator('.usage-figures > div');
  const out: Record<string, string> = {};
  for (let i = 0; i < (await items.count()); i++) {
    out[plain(await items.nth(i).locator('dt').innerText())] = plain(await items.nth(i).locator('dd').innerText());
  }
  return out;
}

async function refusalRows(page: Page): Promise<Array<[string, string]>> {
  const rows = page.locator('.usage-reasons tbody tr');
  await rows.first().waitFor();
  const out: Array<[string, string]> = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = rows.nth(i).locator('td');
    out.push([plain(await cells.nth(0).innerText()), plain(await cells.nth(1).innerText())]);
  }
  return out;
}

/** The section alone, for the report, next to the full-page screenshot. */
async function sectionScreenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}-1280.png`);
  await page.locator('.usage-section').screenshot({ path });
  return path;
}

describe('API Usage on the Edit page', () => {
  it('in English: the figures, a bar per day, the refusals by reason', async () => {
    const browser: TestBrowser = await launchBrowser(s.gateway);
    try {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, ADMIN, `/admin/integrations/${integration.id}`);
      await page.getByRole('heading', { name: 'API Usage', level: 2 }).waitFor();
      await page.locator('.usage-figures').waitFor();
      const shown = await figures(page);
      expect(shown).toMatchObject({ Calls: '19', Accepted: '12', Refused: '7' });
      expect(shown['Last call']).not.toBe('Never');
      expect(await refusalRows(page)).toEqual([
        ['Signature or token refused', '2'],
        ['Not authorized (ACL)', '3'],
        ['No matching route', '2'],
        ['Rate limit exceeded', '0'],
        ['IP address not allowed', '0'],
        ['Integration expired', '0'],
        ['Integration suspended', '0'],
      ]);
      const chart = page.getByRole('img', { name: '19 calls over 30 days, 7 refused.' });
      await chart.waitFor();
      expect(await chart.locator('g.usage-day').count()).toBe(30);
      // Today's bar: 12 accepted below, 7 refused on top, taller than the empty days.
      const today = chart.locator('g.usage-day').last();
      expect(await today.locator('title').textContent()).toMatch(/: 19 calls, 7 refused$/);
      expect(Number(await today.locator('.usage-bar-refused').getAttribute('height'))).toBeGreaterThan(0);
      expect(
        Number(await chart.locator('g.usage-day').first().locator('.usage-bar-accepted').getAttribute('height')),
      ).toBe(0);

      // More calls, then Refresh.
      expect(await signedGet(s.gateway, '/rest/V1/products', credentials)).toBe(200);
      await waitFor(
        async () =>
          (await s.api.call('GET', `/admin/v1/integrations/${integration.id}/usage`)).body.totals.calls === 20,
        'the 20th call counted',
      );
      await page.getByRole('button', { name: 'Refresh' }).click();
      await eventually(
        () => figures(page),
        (f) => f.Calls === '20',
        'the refreshed figures',
      );
      await screenshot(page, 'usage-en-US-edit');
      await sectionScreenshot(page, 'usage-en-US-section');
    } finally {
      await browser.close();
    }
  });

  it('in French: every text from the French catalogue, numbers and dates the French way', async () => {
    const catalogue: Catalogue = frenchCatalogue();
    const browser = await launchBrowser(s.gateway, { locale: 'fr-FR' });
    try {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, ADMIN, `/admin/integrations/${integration.id}`);
      await page.getByRole('heading', { name: 'Utilisation de l’API', level: 2 }).waitFor();
      await page.locator('.usage-figures').waitFor();
      expect(await figures(page)).toMatchObject({ Appels: '20', Acceptés: '13', Refusés: '7' });
      expect((await refusalRows(page))[0]).toEqual(['Signature ou jeton refusé', '2']);
      await page.getByRole('img', { name: '20 appels sur 30 jours, 7 refusés.' }).waitFor();
      // The consumer key is data (Integration Details shows it in full, as Magento does).
      const report = await checkFrench(page, catalogue, [ADMIN.username, NAME, credentials.consumerKey]);
      expect(report.leaks).toEqual([]);
      expect(report.checked).toBeGreaterThan(20);
      await screenshot(page, 'usage-fr-FR-edit');
      await sectionScreenshot(page, 'usage-fr-FR-section');
    } finally {
      await browser.close();
    }
  });

  it('an integration that never called: zeros and a sentence, in French too', async () => {
    const idle = await s.api.createIntegration({ name: 'Idle Partner' });
    const browser = await launchBrowser(s.gateway, { locale: 'fr-FR' });
    try {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, ADMIN, `/admin/integrations/${idle.id}`);
      await expectText(page.locator('.usage-empty'), 'Aucun appel au cours des 30 derniers jours.');
      expect(await figures(page)).toMatchObject({ Appels: '0', 'Dernier appel': 'Jamais' });
      expect(await page.locator('.usage-chart').count()).toBe(0);
      expect((await checkFrench(page, frenchCatalogue(), [ADMIN.username, 'Idle Partner'])).leaks).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('a partner notification in the history', () => {
  it('shows the attempts the outbound guard refused, in French', async () => {
    // Loopback, and not the 127.0.0.1 the launcher allow-lists: the guard refuses every attempt.
    const notified: Json = await s.api.createIntegration({ name: NOTIFIED, callbackUrl: 'http://127.0.0.2:9/notify' });
    expect(
      (await s.api.call('POST', `/admin/v1/integrations/${notified.id}/activate`, { currentPassword: ADMIN.password }))
        .status,
    ).toBe(200);
    expect(
      (
        await s.api.call('POST', `/admin/v1/integrations/${notified.id}/reauthorize`, {
          currentPassword: ADMIN.password,
        })
      ).status,
    ).toBe(200);
    await waitFor(async () => {
      const history = await s.api.call('GET', `/admin/v1/integrations/${notified.id}/history`);
      return history.body.items.some((entry: Json) => entry.type === 'PartnerNotificationFailed');
    }, 'a failed attempt in the history');

    const browser = await launchBrowser(s.gateway, { locale: 'fr-FR' });
    try {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, ADMIN, `/admin/integrations/${notified.id}/history`);
      const failed = page
        .locator('.history-grid tbody tr', { hasText: 'Échec de la notification du partenaire' })
        .first();
      await failed.waitFor();
      const text = plain(await failed.innerText());
      expect(text).toContain('Notification : Réautorisation');
      expect(text).toContain('Tentative : 1');
      expect(text).toContain('Hôte : 127.0.0.2');
      expect(text).toContain('Échec : Adresse refusée par le filtre sortant (liste d’autorisation)');
      const report = await checkFrench(page, frenchCatalogue(), [
        ADMIN.username,
        NOTIFIED,
        'http://127.0.0.2:9/notify',
        '127.0.0.2',
      ]);
      expect(report.leaks).toEqual([]);
      await screenshot(page, 'usage-fr-FR-history-notification');
    } finally {
      await browser.close();
    }
  });
});
