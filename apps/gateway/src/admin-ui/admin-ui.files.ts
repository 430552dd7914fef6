import { resolve, sep } from 'node:path';

export const UI_BASE = '/admin';

/**
 * Paths under /admin/ that belong to other gateway modules: the admin API and its docs. The UI
 * never answers them (not even its index.html fallback), whatever order modules register in.
 */
export const RESERVED = ['v1', 'docs'] as const;

// Vite puts content-hashed files under assets/: a new build has new names, so they never go stale.
export const IMMUTABLE = 'public, max-age=31536000, immutable';
// index.html names the current hashes: always revalidated (ETag), so a deploy shows at once.
export const REVALIDATE = 'no-cache';

export type UiRoute =
  /** Not ours: let the next handler (another module, or the 404) answer. */
  | { kind: 'pass' }
  /** /admin -> /admin/ so relative URLs and the client router agree. */
  | { kind: 'redirect'; location: string }
  | { kind: 'bad-request' }
  /** Hidden files (".env", ".git/…") are never served. */
  | { kind: 'not-found' }
  /** A file if it exists; otherwise `fallback` says whether index.html answers (client route) or 404. */
  | { kind: 'file'; path: string; cacheControl: string; fallback: boolean };

/**
 * Maps a request path to what the UI serves. `pathname` is the raw (still percent-encoded) path;
 * `root` the absolute build folder. Never returns a path outside `root`.
 */
export function routeUiRequest(root: string, pathname: string, search = ''): UiRoute {
  if (pathname === UI_BASE) return { kind: 'redirect', location: `${UI_BASE}/${search}` };
  if (!pathname.startsWith(`${UI_BASE}/`)) return { kind: 'pass' };
  let rest: string;
  try {
    rest = decodeURIComponent(pathname.slice(UI_BASE.length + 1));
  } catch {
    return { kind: 'bad-request' };
  }
  if (rest.includes('\0') || rest.includes('\\')) return { kind: 'bad-request' };
  const first = rest.split('/')[0];
  if ((RESERVED as readonly string[]).includes(first)) return { kind: 'pass' };

  const indexHtml = resolve(root, 'index.html');
  if (rest === '' || rest === 'index.html')
    return { kind: 'file', path: indexHtml, cacheControl: REVALIDATE, fallback: false };

  const path = resolve(root, rest);
  // Dot segments ("../", "%2e%2e/") resolve outside the root: nothing to serve there.
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return { kind: 'bad-request' };
  const segments = rest.split('/');
  const hidden = segments.some((s) => s.startsWith('.'));
  const last = segments[segments.length - 1];
  // A missing asset (hashed file of an older build, a typo) is a 404, not the app's HTML; anything
  // without a file extension is a client-side route (e.g. /admin/integrations/new).
  const looksLikeFile = first === 'assets' || /\.[A-Za-z0-9]+$/.test(last);
  // Source maps publish the source; a build made with them is still served without them.
  if (hidden || last.endsWith('.map')) return { kind: 'not-found' };
  return {
    kind: 'file',
    path,
    cacheControl: first === 'assets' ? IMMUTABLE : REVALIDATE,
    fallback: !looksLikeFile,
  };
}

/** Headers for the HTML page: the app loads only its own bundled files and talks only to this origin. */
export const HTML_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // Another site's window that opened the admin cannot script it; the admin's own popup (the
  // partner's identity link) keeps a handle for the admin, but its opener is cut (authorization-window.ts).
  'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
};

/**
 * Every other answer under /admin/ (the admin API's JSON, errors, redirects): nothing in it may load,
 * run or be framed. Pages that need more (the UI's index.html, /admin/docs) set their own.
 */
export const ADMIN_DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const notBuiltPage = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Admin UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>The admin UI has not been built</h1>
<p>The gateway is running and its admin API answers under <code>/admin/v1/</code>, but the folder it serves the
admin UI from (<code>ADMIN_UI_DIR</code>, default <code>apps/admin-ui/dist</code>) has no <code>index.html</code>.</p>
<p>Build it from the repository root with <code>npm run build:admin-ui</code>, then reload this page
(no restart needed).</p>
</body></html>
`;
