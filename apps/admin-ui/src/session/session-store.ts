/**
 * The admin session token lives in sessionStorage: it survives a reload of the tab, is not shared
 * with other tabs and is gone when the tab closes. It is never put in a cookie or a URL.
 */
const TOKEN_KEY = 'integrations-admin.token';
const USER_KEY = 'integrations-admin.user';

export function sessionToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function sessionUser(): string | null {
  return sessionStorage.getItem(USER_KEY);
}

export function saveSession(token: string, username: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(USER_KEY, username);
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}
