import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { breadcrumbs, eventually, expectNotice, expectText, gridNames, gridRow } from './support/expect-ui';
import { ADMIN, seedConfigIntegration, startUiSystem, type UiSystem, waitFor } from './support/system';

/**
 * The Integrations grid and the New / Edit form, in Debian's chromium against the whole running
 * platform (gateway, registry, acl, config, oauth).
 */
jest.setTimeout(240_000);

const DELETE_TEXT = "Are you sure you want to delete this integration? You can't undo this action.";

describe('admin UI: integrations grid and form', () => {
  let s: UiSystem;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    s = await startUiSystem('grid');
    browser = await launchBrowser(s.gateway);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });
  afterEach(async () => {
    await page?.close();
  });

  it('creates an integration: field errors from the API next to their fields, the resource tree, then the saved notice', async () => {
    page = await browser.newPage(1280);
    await signIn(page, s.gateway);
    await expectText(page.locator('.grid-empty'), "We couldn't find any records.");
    await screenshot(page, 'grid-empty');

    await page.getByRole('link', { name: 'Add New Integration' }).click();
    await page.getByRole('heading', { name: 'New Integration' }).waitFor();
    await page.getByLabel('Name').fill('Orders Sync');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Callback URL').fill('http://partner.example.com/callback');
    await page.getByLabel('Identity link URL').fill('ftp://partner.example.com/login');
    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    // The registry's own messages, each under its field; focus goes to the first one.
    await expectNotice(page, 'The integration was not saved. Correct the fields marked below.', 'error');
    const emailError = await fieldError(page, 'Email');
    expect(emailError).toBe('Email is not a valid address. Enter an address like name@example.com, or leave it empty.');
    expect(await fieldError(page, 'Identity link URL')).toBe('Identity link URL must start with https:// or http://.');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('email');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'form-field-errors');

    await page.getByLabel('Email').fill('ops@partner.example.com');
    await page.getByLabel('Identity link URL').fill('http://partner.example.com/login');

    // API tab: Custom, the tree with tri-state parents, search and expand/collapse.
    await page.getByRole('tab', { name: 'API' }).click();
    await page.getByLabel('Resource Access').selectOption({ label: 'Custom' });
    // The full tree repeats titles (Reports › Sales › Orders): look inside the Sales branch.
    const sales = page.locator('.tree-item[data-resource-id="Magento_Sales::sales"]');
    const box = (name: string) => sales.getByRole('checkbox', { name, exact: true });
    await box('Sales').check();
    for (const name of ['Operations', 'Orders', 'Invoices', 'Shipments'])
      expect(await box(name).isChecked()).toBe(true);
    await box('Invoices').uncheck();
    expect(await box('Sales').getAttribute('aria-checked')).toBe('mixed');
    expect(await box('Sales').evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
    expect(await box('Operations').getAttribute('aria-checked')).toBe('mixed');
    expect(await box('Orders').isChecked()).toBe(true);

    // Two "Credit Memos" (Operations, and Orders > Actions): both shown with the path to them, the rest hidden.
    await page.getByLabel('Search resources').fill('credit');
    await eventually(
      () => page.getByRole('checkbox', { name: 'Catalog', exact: true }).count(),
      (n) => n === 0,
      'the search to hide unrelated branches',
    );
    expect(await box('Credit Memos').count()).toBe(2);
    expect(await page.locator('.tree-item').count()).toBe(6);
    expect(await box('Invoices').count()).toBe(0);
    await page.getByLabel('Search resources').fill('');

    await page.getByRole('button', { name: 'Collapse All', exact: true }).click();
    expect(await box('Orders').count()).toBe(0);
    await page.getByRole('button', { name: 'Expand Sales' }).click();
    expect(await box('Operations').isVisible()).toBe(true);
    expect(await box('Orders').count()).toBe(0);
    await page.getByRole('button', { name: 'Expand All', exact: true }).click();
    expect(await box('Orders').isVisible()).toBe(true);
    await screenshot(page, 'form-api-tree');

    // A wrong password: refused, shown at the password field (on the other tab, which opens).
    await page.getByRole('tab', { name: 'Integration Info' }).click();
    await page.getByLabel('Your Password').fill('not my password');
    await page.getByRole('tab', { name: 'API' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectNotice(page, 'You have entered an invalid password for current user.', 'error');
    expect(await page.getByRole('tab', { name: 'Integration Info' }).getAttribute('aria-selected')).toBe('true');
    expect(await fieldError(page, 'Your Password')).toBe('This is not your current admin password.');

    await page.getByLabel('Your Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectNotice(page, "The integration 'Orders Sync' has been saved.", 'success');
    expect(new URL(page.url()).pathname).toBe('/admin/');
    const row = gridRow(page, 'Orders Sync');
    expect(await row.locator('.badge').innerText()).toContain('Integration not secure');
    expect(await row.locator('.col-status').innerText()).toBe('Inactive');
    expect(await row.getByRole('button', { name: 'Activate Orders Sync' }).innerText()).toBe('Activate');
    expect(await row.locator('.col-last-used').innerText()).toBe('Never');
    await screenshot(page, 'grid-saved');

    const saved = await s.api.findByName('Orders Sync');
    expect(saved).toMatchObject({
      resourceAccess: 'custom',
      resources: expect.arrayContaining([
        'Magento_Sales::sales',
        'Magento_Sales::sales_operation',
        'Magento_Sales::sales_order',
        'Magento_Sales::shipment',
      ]),
    });
    expect(saved!.resources).not.toContain('Magento_Sales::sales_invoice');
  });

  it('edits an integration (https clears the warning) and shows who changed what in its history', async () => {
    page = await browser.newPage(768);
    await signIn(page, s.gateway);
    await gridRow(page, 'Orders Sync').getByRole('link', { name: 'Edit Orders Sync' }).click();
    await page.getByRole('heading', { name: "Edit Integration 'Orders Sync'" }).waitFor();
    expect(await breadcrumbs(page)).toBe("System › Extensions › Integrations › Edit Integration 'Orders Sync'");
    expect(await page.getByLabel('Email').inputValue()).toBe('ops@partner.example.com');
    await page.getByLabel('Name').fill('Orders Sync EU');
    await page.getByLabel('Callback URL').fill('https://partner.example.com/callback');
    await page.getByLabel('Identity link URL').fill('https://partner.example.com/login');
    await page.getByRole('tab', { name: 'API' }).click();
    expect(
      await page.locator('.tree-item[data-resource-id="Magento_Sales::sales_order"] > .tree-row input').isChecked(),
    ).toBe(true);
    await page.getByRole('checkbox', { name: 'Carts', exact: true }).check();
    await page.getByRole('tab', { name: 'Integration Info' }).click();
    await page.getByLabel('Your Password').fill(ADMIN.password);
    await screenshot(page, 'form-edit');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectNotice(page, "The integration 'Orders Sync EU' has been saved.", 'success');
    expect(await gridRow(page, 'Orders Sync EU').locator('.badge').count()).toBe(0);
    await screenshot(page, 'grid');

    await gridRow(page, 'Orders Sync EU').getByRole('link', { name: 'History of Orders Sync EU' }).click();
    await page.getByRole('heading', { name: 'History of "Orders Sync EU"' }).waitFor();
    const rows = page.locator('.history-grid tbody tr');
    await eventually(
      () => rows.count(),
      (n) => n === 2,
      'two history entries',
    );
    const [changed, created] = await rows.allInnerTexts();
    expect(changed).toContain('Changed');
    expect(changed).toContain(ADMIN.username);
    expect(changed).toContain('Name: Orders Sync EU');
    expect(changed).toContain('Callback URL: https://partner.example.com/callback');
    expect(changed).toContain('Not secure: No');
    expect(created).toContain('Created');
    expect(created).toContain('Name: Orders Sync');
    await screenshot(page, 'history');
  });

  it('filters by name and status, sorts by name and by the Created / Updated dates, and pages with a page size', async () => {
    for (let i = 1; i <= 23; i++) await s.api.createIntegration({ name: `Batch ${String(i).padStart(2, '0')}` });
    page = await browser.newPage(1280);
    await signIn(page, s.gateway);

    await page.getByLabel('Name', { exact: true }).fill('batch');
    await page.getByRole('button', { name: 'Search' }).click();
    await expectText(page.locator('.records-found'), '23 records found');
    expect(await gridNames(page)).toHaveLength(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await eventually(
      () => gridNames(page),
      (names) => names.length === 3,
      'the 3 rows of page 2',
    );
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');

    await page.getByLabel('Records per page').selectOption('30');
    await eventually(
      () => gridNames(page),
      (names) => names.length === 23,
      'all 23 rows on one page',
    );

    const nameHeader = page.getByRole('columnheader', { name: /^Name/ });
    await nameHeader.getByRole('button').click();
    await eventually(
      () => gridNames(page),
      (names) => names[0] === 'Batch 01' && names[22] === 'Batch 23',
      'ascending names',
    );
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await nameHeader.getByRole('button').click();
    await eventually(
      () => gridNames(page),
      (names) => names[0] === 'Batch 23',
      'descending names',
    );
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
    await screenshot(page, 'grid-filtered-sorted');

    // The filters live in the URL: a reload keeps them.
    await page.reload();
    await eventually(
      () => gridNames(page),
      (names) => names.length === 23 && names[0] === 'Batch 23',
      'the same view after a reload',
    );
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('batch');

    // Dates: newest first on the first click, kept in the URL; the cell shows a local date, the ISO on hover.
    const batch05 = (await s.api.findByName('Batch 05'))!;
    const edited = await s.api.call('PUT', `/admin/v1/integrations/${batch05.id}`, {
      name: 'Batch 05',
      email: 'batch05@example.com',
      resourceAccess: 'all',
      currentPassword: ADMIN.password,
    });
    expect(edited.status).toBe(200);
    await waitFor(
      async () =>
        (await s.api.call('GET', '/admin/v1/integrations?name=batch&sort=-updatedAt')).body.items[0]?.name ===
        'Batch 05',
      'the edit of Batch 05 in the grid projection',
    );
    const createdHeader = page.getByRole('columnheader', { name: /^Created/ });
    await createdHeader.getByRole('button').click();
    await eventually(
      () => gridNames(page),
      (names) => names.length === 23 && names[0] === 'Batch 23' && names[22] === 'Batch 01',
      'newest created first',
    );
    expect(await createdHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await nameHeader.getAttribute('aria-sort')).toBe('none');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-createdAt');
    const created = gridRow(page, 'Batch 01').locator('.col-created time');
    const createdIso = (await s.api.findByName('Batch 01')) as unknown as { createdAt: string };
    expect(await created.getAttribute('title')).toBe(createdIso.createdAt);
    expect(await created.getAttribute('datetime')).toBe(createdIso.createdAt);
    // en-US, UTC (the browser's context): "Nov 28, 2026, 6:30 AM", not the ISO string.
    expect(await created.innerText()).toBe(
      new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
        new Date(createdIso.createdAt),
      ),
    );
    await createdHeader.getByRole('button').click();
    await eventually(
      () => gridNames(page),
      (names) => names[0] === 'Batch 01' && names[22] === 'Batch 23',
      'oldest created first',
    );
    expect(await createdHeader.getAttribute('aria-sort')).toBe('ascending');

    const updatedHeader = page.getByRole('columnheader', { name: /^Updated/ });
    await updatedHeader.getByRole('button').click();
    await eventually(
      () => gridNames(page),
      (names) => names[0] === 'Batch 05' && names[1] === 'Batch 23',
      'the last edited first',
    );
    expect(await updatedHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await createdHeader.getAttribute('aria-sort')).toBe('none');
    await page.reload();
    await eventually(
      () => gridNames(page),
      (names) => names[0] === 'Batch 05',
      'the date sort after a reload',
    );
    expect(await page.getByRole('columnheader', { name: /^Updated/ }).getAttribute('aria-sort')).toBe('descending');
    await screenshot(page, 'grid-sorted-by-updated');

    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Active' });
    await page.getByRole('button', { name: 'Search' }).click();
    await expectText(page.locator('.grid-empty'), "We couldn't find any records.");
    await page.getByRole('button', { name: 'Reset Filter' }).click();
    const everything = (await s.api.call('GET', '/admin/v1/integrations')).body.total;
    expect(everything).toBeGreaterThanOrEqual(23);
    await expectText(page.locator('.records-found'), `${everything} records found`);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('');
  });

  it('deletes an integration after the confirmation, keeps it on Cancel, and reloads it when someone else changed it', async () => {
    await s.api.createIntegration({ name: 'Short Lived' });
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?name=short');
    const row = gridRow(page, 'Short Lived');
    await row.getByRole('button', { name: 'Remove Short Lived' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Integration' });
    expect(await dialog.locator('.modal-body p').first().innerText()).toBe(DELETE_TEXT);
    await screenshot(page, 'delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await row.count()).toBe(1);

    // Saved by someone else meanwhile: not deleted, and the grid reloads the row instead of
    // leaving an OK that would send the stale version again.
    const shortLived = (await s.api.findByName('Short Lived'))!;
    const edited = await s.api.call('PUT', `/admin/v1/integrations/${shortLived.id}`, {
      name: 'Short Lived',
      email: 'short@example.com',
      resourceAccess: 'all',
      currentPassword: ADMIN.password,
    });
    expect(edited.status).toBe(200);
    await waitFor(
      async () => (await s.api.findByName('Short Lived'))!.version > shortLived.version,
      'the edit of Short Lived in the grid projection',
    );
    await row.getByRole('button', { name: 'Remove Short Lived' }).click();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expectNotice(
      page,
      "The integration 'Short Lived' was changed by someone else, so it was not deleted. " +
        'The grid now shows it as it is; delete it again if you still want to.',
      'error',
    );
    await dialog.waitFor({ state: 'detached' });
    expect(await s.api.findByName('Short Lived')).toBeDefined();
    await screenshot(page, 'delete-conflict');

    await row.getByRole('button', { name: 'Remove Short Lived' }).click();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expectNotice(page, "The integration 'Short Lived' has been deleted.", 'success');
    await expectText(page.locator('.grid-empty'), "We couldn't find any records.");
    expect(await s.api.findByName('Short Lived')).toBeUndefined();
  });

  it('shows config-type integrations read-only: View instead of Edit, Delete disabled with the reason', async () => {
    await seedConfigIntegration(s, 'Extension Feed');
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?name=extension');
    const row = gridRow(page, 'Extension Feed');
    await row.waitFor();
    expect(await row.getByRole('link', { name: 'View Extension Feed' }).innerText()).toBe('View');
    const remove = row.locator('.col-delete button');
    expect(await remove.getAttribute('aria-disabled')).toBe('true');
    expect(await remove.getAttribute('title')).toBe('Uninstall the extension to remove this integration');
    // Still focusable (so the reason is announced) but does nothing, by mouse or keyboard.
    await remove.click({ force: true });
    await remove.focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await screenshot(page, 'grid-config-type');

    await row.getByRole('link', { name: 'View Extension Feed' }).click();
    await page.getByRole('heading', { name: 'View "Extension Feed" Integration' }).waitFor();
    expect(await page.getByRole('note').innerText()).toBe('Cannot edit integrations created via config file.');
    expect(await page.getByLabel('Name').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'API' }).count()).toBe(0);
    expect(await page.getByLabel('Your Password').count()).toBe(0);
    await screenshot(page, 'form-view-config');
  });

  it('is usable with the keyboard alone: tabs with arrow keys, focus kept inside the dialog, Escape returns focus', async () => {
    await s.api.createIntegration({ name: 'Keyboard Check' });
    page = await browser.newPage(1280);
    await signIn(page, s.gateway, ADMIN, '/admin/?name=keyboard');

    const remove = gridRow(page, 'Keyboard Check').getByRole('button', { name: 'Remove Keyboard Check' });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete Integration' });
    await dialog.waitFor();
    // Cancel gets the focus (the safe choice); Tab and Shift+Tab go round the dialog only.
    expect(await focusedText(page)).toBe('Cancel');
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
      seen.add(await focusedText(page));
    }
    expect([...seen].sort()).toEqual(['Cancel', 'OK', '×']);
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Remove Keyboard Check');

    // The form: the link by keyboard, arrow keys between tabs, a checkbox with Space.
    await page.getByRole('link', { name: 'Add New Integration' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New Integration' }).waitFor();
    await page.getByRole('tab', { name: 'Integration Info' }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('tab', { name: 'API' }).getAttribute('aria-selected')).toBe('true');
    expect(await focusedText(page)).toBe('API');
    await page.getByRole('checkbox', { name: 'Dashboard', exact: true }).focus();
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Dashboard', exact: true }).isChecked()).toBe(true);
    await screenshot(page, 'keyboard-form');
  });
});

/** The error shown under the field with this label. */
async function fieldError(page: Page, label: string): Promise<string> {
  const field = page.locator('.field').filter({ has: page.getByLabel(label) });
  return expectText(field.locator('.field-error'), /./, `the error of ${label}`);
}

async function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
}
