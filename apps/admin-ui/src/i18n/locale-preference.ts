import { isLocale, type Locale } from './locales';

/**
 * Where this browser remembers an admin's interface locale: localStorage, one entry per admin user
 * name, plus the last locale used (for the sign-in page, before anyone is known). The account keeps
 * it too (PATCH /admin/v1/auth/me, read from GET /me after signing in), which wins once it is read:
 * this copy only avoids a flash of the wrong language until then.
 */
const KEY = 'integrations-admin.locale';

function read(key: string): Locale | null {
  try {
    const value = localStorage.getItem(key);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage disabled: the browser's language applies
  }
}

/** The admin's chosen locale; without a user name, the last locale chosen in this browser. */
export function storedLocale(username?: string | null): Locale | null {
  return username ? read(`${KEY}:${username}`) : read(KEY);
}

export function rememberLocale(locale: Locale, username?: string | null): void {
  try {
    localStorage.setItem(KEY, locale);
    if (username) localStorage.setItem(`${KEY}:${username}`, locale);
  } catch {
    // Not remembered: the choice holds for this page only.
  }
}
