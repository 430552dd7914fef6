import type { Locator, Page } from 'playwright-core';

/** Retries `read` until `check` passes (UI updates are asynchronous), then returns the value. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < until) {
    try {
      last = await read();
      if (check(last)) return last;
    } catch (e) {
      error = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(
    `timed out waiting for ${what}; last value: ${JSON.stringify(last)}${error ? `; last error: ${String(error)}` : ''}`,
  );
}

/** The visible messages area of the page (success, error, info notices), as text. */
export async function notices(page: Page): Promise<string[]> {
  return page.locator('.notices .notice-text').allInnerTexts();
}

export async function expectNotice(
  page: Page,
  text: string,
  kind?: 'success' | 'error' | 'info' | 'warning',
): Promise<void> {
  const selector = kind ? `.notices .notice-${kind} .notice-text` : '.notices .notice-text';
  await eventually(
    () => page.locator(selector).allInnerTexts(),
    (texts) => texts.includes(text),
    `notice "${text}"`,
  );
}

export async function expectText(locator: Locator, expected: string | RegExp, what = 'text'): Promise<string> {
  return eventually(
    async () => (await locator.innerText()).trim(),
    (text) => (typeof expected === 'string' ? text === expected : expected.test(text)),
    `${what} to be ${String(expected)}`,
  );
}

/** Names in the grid, top to bottom. */
export async function gridNames(page: Page): Promise<string[]> {
  return page.locator('table.data-grid tbody .integration-name').allInnerTexts();
}

export function gridRow(page: Page, name: string): Locator {
  return page
    .locator('table.data-grid tbody tr')
    .filter({ has: page.locator('.integration-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The breadcrumbs as read: "System › Extensions › Integrations" (the separators are drawn by CSS). */
export async function breadcrumbs(page: Page): Promise<string> {
  const items = await page.locator('nav.breadcrumbs li').allInnerTexts();
  return items.map((item) => item.replace(/[\s\u00a0\u202f]+/g, ' ').trim()).join(' › ');
}
