import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { eventually, expectNotice, expectText, gridRow } from './support/expect-ui';
import { checkFrench, frenchCatalogue } from './support/no-leak';
import { signedGet, type IntegrationCredentials } from './support/signed-call';
import { ADMIN, startUiSystem, type UiSystem, waitFor } from './support/system';

/**
 * The integration controls in the admin (docs/adr/0010), on the whole platform as processes: the
 * Access Controls fieldset (a bad CIDR refused next to its field, an expiry and a rate limit saved),
 * "expires in N days" in the grid, Suspend and Resume with the password (the partner's calls refused
 * in between), the Suspended and Expired statuses and their filter, and the form in French (no-leak
 * check). Screenshots at 1280 wide: test-output/screenshots/controls-*.
 */
jest.setTimeout(300_000);

const NAME = 'Controlled Partner';
const LAPSED = 'Lapsed Partner';
const DAY_MS = 86_400_000;

let s: UiSystem;
let integration: { id: string };
let credentials: IntegrationCredentials;

beforeAll(async () => {
  s = await startUiSystem('controls', { REGISTRY_EXPIRY_CHECK_MS: '500' });
  integration = await s.api.createIntegration({ name: NAME });
  const activated = await s.api.call('POST', `/admin/v1/integrations/${integration.id}/activate`, {
    currentPassword: ADMIN.password,
  });
  expect(activated.status).toBe(200);
  credentials = activated.body.credentials;
  await waitFor(async () => (await signedGet(s.gateway, '/rest/V1/products', credentials)) === 200, 'a first call');
});

afterAll(async () => {
  await s?.stop();
});

/** "YYYY-MM-DDTHH:mm" in the browser's (and this process's) time zone, as datetime-local holds it. */
function localInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

describe('Access Controls, in English', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchBrowser(s.gateway);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('refuses a malformed CIDR next to its field, then saves an expiry in 3 days and a rate limit', async () => {
    const page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, `/admin/integrations/${integration.id}`);
    await page.getByRole('group', { name: 'Access Controls' }).waitFor();
    await page.getByLabel('IP allow-list').fill('203.0.113.0/24\n10.0.0.300/8');
    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectNotice(page, 'The integration was not saved. Correct the fields marked below.', 'error');
    await eventually(
      () => page.getByLabel('IP allow-list').getAttribute('aria-invalid'),
      (invalid) => invalid === 'true',
      'the allow-list marked invalid',
    );
    await expectText(page.locator('.field-invalid .field-error'), /10\.0\.0\.300\/8/);
    await screenshot(page, 'controls-en-US-bad-cidr');
    expect((await s.api.getIntegration(integration.id)).body.ipAllowList).toEqual([]);

    await page.getByLabel('IP allow-list').fill('');
    await page.getByLabel('Expires at').fill(localInput(new Date(Date.now() + 3 * DAY_MS - 60_000)));
    await page.getByLabel('Requests per minute').fill('600');
    await page.getByLabel('Burst (requests per second)').fill('20');
    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectNotice(page, `The integration '${NAME}' has been saved.`, 'success');
    const saved = (await s.api.getIntegration(integration.id)).body;
    expect(saved.rateLimit).toEqual({ requestsPerMinute: 600, burst: 20 });
    expect(Date.parse(saved.expiresAt)).toBeGreaterThan(Date.now() + 2 * DAY_MS);

    // Back on the grid: still Active, with the warning of the coming expiry.
    const row = gridRow(page, NAME);
    await expectText(row.locator('.col-status'), /^Active\s*Expires in 3 days$/);
    await screenshot(page, 'controls-en-US-grid-expires-soon');
    expect(await signedGet(s.gateway, '/rest/V1/products', credentials)).toBe(200);
  });

  it('Suspend needs the password, refuses the partner at once, shows Suspended; Resume restores it', async () => {
    const page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, `/admin/integrations/${integration.id}`);
    await page.getByRole('button', { name: 'Suspend' }).click();
    await expectNotice(
      page,
      'Enter your password under Current User Identity Verification to suspend or resume the integration.',
      'error',
    );
    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Suspend' }).click();
    await expectNotice(
      page,
      `The integration '${NAME}' has been suspended: its calls are refused until it is resumed.`,
      'success',
    );
    await expectText(page.locator('.form-status'), 'Status: Suspended');
    expect(await signedGet(s.gateway, '/rest/V1/products', credentials)).toBe(401);
    await screenshot(page, 'controls-en-US-edit-suspended');

    const grid = await browser.newPage(1280);
    await signIn(grid, s.gateway, ADMIN, '/admin/?status=suspended');
    await expectText(gridRow(grid, NAME).locator('.col-status'), /^Suspended/);
    expect(await grid.getByLabel('Status').inputValue()).toBe('suspended');
    await screenshot(grid, 'controls-en-US-grid-suspended');

    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expectNotice(page, `The integration '${NAME}' has been resumed: its credentials work again.`, 'success');
    await expectText(page.locator('.form-status'), 'Status: Active');
    expect(await signedGet(s.gateway, '/rest/V1/products', credentials)).toBe(200);

    // The history says who suspended and resumed it, and what the controls were set to.
    await page.getByRole('link', { name: 'History' }).click();
    const rows = page.locator('.history-grid tbody tr');
    const texts = await eventually(
      () => rows.allInnerTexts(),
      (all) => all.length >= 4,
      'the history entries',
    );
    const [resumed, suspended, changed] = texts;
    expect(resumed).toContain('Resumed');
    expect(resumed).toContain(ADMIN.username);
    expect(suspended).toContain('Suspended');
    expect(changed).toContain('Rate limit: 600 a minute, 20 a second');
    await screenshot(page, 'controls-en-US-history');
  });

  it('an integration past its expiry is Expired in the grid and its filter', async () => {
    const lapsed = await s.api.createIntegration({
      name: LAPSED,
      expiresAt: new Date(Date.now() + 2_000).toISOString(),
    });
    await waitFor(
      async () => (await s.api.getIntegration(lapsed.id)).body.expired === true,
      'the expiry passed',
      10_000,
    );
    const page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?status=expired');
    await expectText(gridRow(page, LAPSED).locator('.col-status'), /^Expired$/);
    expect(await gridRow(page, NAME).count()).toBe(0);
    await screenshot(page, 'controls-en-US-grid-expired');
    await waitFor(async () => {
      const history = await s.api.call('GET', `/admin/v1/integrations/${lapsed.id}/history`);
      return history.body.items.some((entry: { type: string }) => entry.type === 'IntegrationExpired');
    }, 'IntegrationExpired in the history');
  });
});

describe('Access Controls, in French', () => {
  it('every text of the form from the French catalogue', async () => {
    const browser = await launchBrowser(s.gateway, { locale: 'fr-FR' });
    try {
      const page = await browser.newPage(1280);
      await signIn(page, s.gateway, ADMIN, `/admin/integrations/${integration.id}`);
      await page.getByRole('group', { name: 'Contrôles d’accès' }).waitFor();
      expect(await page.getByLabel('Requêtes par minute').inputValue()).toBe('600');
      await page.getByRole('button', { name: 'Suspendre' }).waitFor();
      const report = await checkFrench(page, frenchCatalogue(), [ADMIN.username, NAME]);
      expect(report.leaks).toEqual([]);
      await screenshot(page, 'controls-fr-FR-edit');
    } finally {
      await browser.close();
    }
  });
});
