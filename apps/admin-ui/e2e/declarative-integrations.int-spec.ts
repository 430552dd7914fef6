import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { eventually, expectNotice, expectText, gridNames, gridRow } from './support/expect-ui';
import { signedGet, type IntegrationCredentials } from './support/signed-call';
import { ADMIN, startUiSystem, type UiSystem } from './support/system';

/**
 * Declarative integrations end to end: the registry applies INTEGRATIONS_MANIFEST_FILE at start; a
 * manifest change to the resources of an activated integration resets it (the oauth service drops its
 * consumer and tokens, so the old access token stops working), the admin sees Magento's "reset"
 * message until the integration is activated again, and config-type integrations stay read-only.
 */
jest.setTimeout(300_000);

const RESET_MESSAGE =
  'One or more integrations have been reset because of a change to their configuration; activate them again.';
const CATALOG = ['Magento_Catalog::catalog', 'Magento_Catalog::catalog_inventory', 'Magento_Catalog::products'];
const dir = mkdtempSync(join(tmpdir(), 'ui-manifest-'));
const manifestFile = join(dir, 'integrations.json');

function writeManifest(resources: string[]): void {
  writeFileSync(
    manifestFile,
    JSON.stringify({
      integrations: [{ name: 'Catalog Sync', email: 'catalog@example.com', resourceAccess: 'custom', resources }],
    }),
  );
}

describe('admin UI: declarative integrations (manifest)', () => {
  let s: UiSystem;
  let browser: TestBrowser;
  let page: Page;
  let id: string;
  let first: IntegrationCredentials;

  beforeAll(async () => {
    writeManifest(CATALOG);
    s = await startUiSystem('manifest', { INTEGRATIONS_MANIFEST_FILE: manifestFile });
    browser = await launchBrowser(s.gateway);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await page?.close();
  });

  const systemMessages = () => page.locator('.system-messages .system-message-text').allInnerTexts();

  it('shows the manifest integration as config type, without the reset message, and usable once activated', async () => {
    const row = await eventually(() => s.api.findByName('Catalog Sync'), Boolean, 'Catalog Sync in the grid');
    id = row!.id;
    expect((await s.api.getIntegration(id)).body).toMatchObject({ setupType: 'config', status: 'inactive' });

    const activated = await s.api.call('POST', `/admin/v1/integrations/${id}/activate`, {
      currentPassword: ADMIN.password,
    });
    expect(activated.status).toBe(200);
    first = activated.body.credentials;
    // The oauth service learns of the activation from the integration topic: usable within moments.
    await eventually(
      () => signedGet(s.gateway, '/rest/V1/products', first),
      (status) => status === 200,
      'the first token to work',
    );

    page = await browser.newPage(1280);
    await signIn(page, s.gateway);
    await expectText(gridRow(page, 'Catalog Sync').locator('.col-status'), 'Active');
    expect(await systemMessages()).toEqual([]);
  });

  it('after a manifest change to its resources: reset, old token rejected, the message on every page', async () => {
    writeManifest([...CATALOG, 'Magento_Sales::sales_order']);
    await s.system.restart('registry');
    await eventually(
      async () => (await s.api.getIntegration(id)).body,
      (body) => body.status === 'reset',
      'Catalog Sync to be reset',
      30_000,
    );
    // The oauth service follows IntegrationReset: consumer and tokens are gone.
    await eventually(
      () => signedGet(s.gateway, '/rest/V1/products', first),
      (status) => status === 401,
      'the old access token to be rejected',
      30_000,
    );

    page = await browser.newPage(1280);
    await signIn(page, s.gateway);
    await eventually(systemMessages, (texts) => texts.includes(RESET_MESSAGE), 'the reset message');
    await screenshot(page, 'system-message-reset');

    // Its link opens the grid filtered to status Reset.
    await page.locator('.system-messages').getByRole('link', { name: 'integrations' }).click();
    await eventually(
      async () => new URL(page.url()).search,
      (search) => search === '?status=reset',
      'the grid filtered to Reset',
    );
    await eventually(
      () => gridNames(page),
      (names) => names.join() === 'Catalog Sync',
      'only the reset row',
    );
    expect(await page.getByLabel('Status').inputValue()).toBe('reset');

    // The View page: read-only, Magento's wording, and the message is still there.
    await gridRow(page, 'Catalog Sync').getByRole('link', { name: 'View Catalog Sync' }).click();
    await page.getByRole('heading', { name: 'View "Catalog Sync" Integration' }).waitFor();
    expect(await page.getByRole('note').innerText()).toBe('Cannot edit integrations created via config file.');
    expect(await page.getByLabel('Name').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect(await systemMessages()).toEqual([RESET_MESSAGE]);
    await screenshot(page, 'form-view-config-reset');
  });

  it('refuses edits and deletes through the admin API, with the reason', async () => {
    const version = (await s.api.getIntegration(id)).body.version;
    const put = await s.api.call('PUT', `/admin/v1/integrations/${id}`, {
      name: 'Catalog Sync',
      email: 'someone@example.com',
      resourceAccess: 'all',
      currentPassword: ADMIN.password,
    });
    expect([put.status, put.body.error.code]).toEqual([409, 'INTEGRATION.CONFIG_MANAGED']);
    const del = await s.api.call('DELETE', `/admin/v1/integrations/${id}`);
    expect([del.status, del.body.error.code]).toEqual([409, 'INTEGRATION.CONFIG_MANAGED']);
    expect((await s.api.getIntegration(id)).body).toMatchObject({ version, email: 'catalog@example.com' });
  });

  it('activating the Reset row issues new credentials and clears the message', async () => {
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?status=reset');
    await eventually(systemMessages, (texts) => texts.includes(RESET_MESSAGE), 'the reset message');
    const row = gridRow(page, 'Catalog Sync');
    await row.getByRole('button', { name: 'Activate Catalog Sync' }).click();
    const permissions = page.getByRole('dialog', { name: 'Reauthorize "Catalog Sync"' });
    await permissions.getByLabel('Your Password').fill(ADMIN.password);
    await permissions.getByRole('button', { name: 'Reauthorize' }).click();
    const tokens = page.getByRole('dialog', { name: 'Integration Tokens for Extensions' });
    await tokens.waitFor();
    const value = (label: string) => tokens.getByLabel(label, { exact: true }).inputValue();
    const second: IntegrationCredentials = {
      consumerKey: await value('Consumer Key'),
      consumerSecret: await value('Consumer Secret'),
      accessToken: await value('Access Token'),
      accessTokenSecret: await value('Access Token Secret'),
    };
    await tokens.getByRole('button', { name: 'Done' }).click();
    await expectNotice(page, "The integration 'Catalog Sync' has been re-authorized.", 'success');

    // Magento: a reset integration gets a new consumer, not just new tokens.
    expect(second.consumerKey).not.toBe(first.consumerKey);
    expect(second.accessToken).not.toBe(first.accessToken);
    await eventually(
      () => signedGet(s.gateway, '/rest/V1/products', second),
      (status) => status === 200,
      'the new token to work',
    );
    expect(await signedGet(s.gateway, '/rest/V1/products', first)).toBe(401);
    await eventually(systemMessages, (texts) => texts.length === 0, 'the reset message to go away');
  });
});
