import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from './build-ui';
import { ADMIN } from './system';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO_ROOT, 'test-output/screenshots');

export type Width = 1280 | 768;

export interface TestBrowser {
  context: BrowserContext;
  newPage(width?: Width): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Debian's chromium driven by playwright-core (no downloaded browsers), headless, with a fresh
 * profile per test file so no state leaks between files.
 */
export async function launchBrowser(origin: string, options: { locale?: string } = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'admin-ui-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    // The browser's language, which picks the interface locale until the admin chooses one.
    locale: options.locale ?? 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  // A persistent context opens with one blank page; tests open their own.
  for (const page of context.pages()) await page.close();
  return {
    context,
    newPage: async (width: Width = 1280) => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: width === 1280 ? 900 : 1024 });
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** test-output/screenshots/<name>-<width>.png; the full page, so nothing below the fold is missed. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOTS, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in on `path` and waits for the admin page there; by element ids, so in any interface locale. */
export async function signIn(page: Page, gateway: string, credentials = ADMIN, path = '/admin/'): Promise<void> {
  await page.goto(`${gateway}${path}`);
  await page.locator('#login-username').fill(credentials.username);
  await page.locator('#login-password').fill(credentials.password);
  await page.locator('.login-submit').click();
  await page.locator('.account-toggle').waitFor();
}

/** Opens the account menu at the top right (Interface Locale, Sign Out). */
export async function openAccountMenu(page: Page): Promise<void> {
  const toggle = page.locator('.account-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator('.account-panel').waitFor();
}

/** Follows the side menu: an entry (its `data-menu`), then a page in its panel (`data-menu-item`). */
export async function openMenu(page: Page, area: 'stores' | 'system', item: string): Promise<void> {
  await page.locator(`.side-menu [data-menu="${area}"]`).click();
  await page.locator(`.side-menu [data-menu-item="${item}"]`).click();
}
