/**
 * The one normal form of a `/rest` request target (issue 12 item 8): what the acl matches and what
 * the upstream gets are the same bytes. Without it `/rest/V1/cmsPage/searc%68` was matched as
 * `cmsPage/:pageId` (a guest route) while an upstream that decodes `%68` served `cmsPage/search`.
 *
 * In the path (the query is passed on untouched; it is signed as sent):
 * - percent-encoded unreserved characters are decoded (RFC 3986 §6.2.2.2: `%68` is `h`, `%7E` is
 *   `~`), other escapes get upper-case hex digits (§6.2.2.1), so that equal paths compare equal;
 * - an encoded control character (`%00`–`%1F`, `%7F`) is refused: no route needs one, and an
 *   upstream that decodes `%0d%0a` may split a header or a log line with it;
 * - a malformed escape (`%zz`, `%4`) or a fragment (`#`) is refused.
 */
export type NormalTarget = { ok: true; target: string; path: string } | { ok: false; message: string };

const UNRESERVED = /[A-Za-z0-9\-._~]/;

export function normalizeRestTarget(raw: string): NormalTarget {
  const queryAt = raw.indexOf('?');
  const rawPath = queryAt === -1 ? raw : raw.slice(0, queryAt);
  if (raw.includes('#')) return { ok: false, message: 'The request target must not contain a fragment (#).' };
  // Most paths carry no escape at all: nothing to rebuild.
  if (!rawPath.includes('%')) return { ok: true, target: raw, path: rawPath };
  let path = '';
  for (let i = 0; i < rawPath.length; i++) {
    const char = rawPath[i];
    if (char !== '%') {
      path += char;
      continue;
    }
    const hex = rawPath.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex))
      return {
        ok: false,
        message: 'The request path has a malformed percent-encoding (% must be followed by two hex digits).',
      };
    const code = parseInt(hex, 16);
    if (code < 0x20 || code === 0x7f)
      return { ok: false, message: 'The request path must not contain an encoded control character.' };
    const decoded = String.fromCharCode(code);
    path += code < 0x80 && UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return { ok: true, target: queryAt === -1 ? path : path + raw.slice(queryAt), path };
}

/** `%2F` (`/`) and `%5C` (`\`, which some servers read as `/`), in normal form (upper-case hex). */
const ENCODED_SEPARATOR = /%2F|%5C/;
/** `/rest/V1/...` or `/rest/<store>/V1/...`: what precedes the route's own segments. */
const VERSION = /^V[0-9]+$/;

/**
 * An encoded `/` is data only inside a segment the matched route declares as a parameter (a SKU
 * such as `ABC%2F10`): anywhere else an upstream that decodes it would route the request somewhere
 * the acl did not authorise (`cmsPage%2Fsearch`). `routeId` is the acl's route id,
 * `<METHOD> /V1/<segments with :params>`; null when no route matched, so no segment is a parameter.
 */
export function encodedSeparatorOutsideParameter(normalPath: string, routeId: string | null): boolean {
  if (!ENCODED_SEPARATOR.test(normalPath)) return false;
  const template = routeId?.split(' ')[1]?.split('/').slice(1);
  if (!template) return true;
  const segments = normalPath.split('/').slice(1);
  const versionAt = segments.findIndex((segment) => VERSION.test(segment));
  if (versionAt === -1) return true;
  // The prefix (`rest`, a store code, the version) is never a parameter.
  if (segments.slice(0, versionAt).some((segment) => ENCODED_SEPARATOR.test(segment))) return true;
  return segments
    .slice(versionAt)
    .some((segment, index) => ENCODED_SEPARATOR.test(segment) && !template[index]?.startsWith(':'));
}
