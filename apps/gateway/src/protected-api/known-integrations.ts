import { createHash } from 'node:crypto';

/**
 * Which integration a consumer key or bearer token belongs to, once oauth has verified a call made
 * with it (ADR 0006 §3): an immutable fact, since a key or token belongs to one integration for
 * good, so entries never go stale. A revoked key or token is still refused by oauth and acl; this
 * only lets the gateway ask the acl in parallel with oauth. Bounded: the least recently used entry
 * goes first.
 */
export class KnownIntegrations {
  private readonly byCredential = new Map<string, string>();

  constructor(private readonly maxEntries = 10_000) {}

  get(credential: string): string | undefined {
    const integrationId = this.byCredential.get(credential);
    if (integrationId !== undefined) {
      this.byCredential.delete(credential);
      this.byCredential.set(credential, integrationId);
    }
    return integrationId;
  }

  remember(credential: string, integrationId: string): void {
    this.byCredential.delete(credential);
    this.byCredential.set(credential, integrationId);
    if (this.byCredential.size > this.maxEntries) {
      this.byCredential.delete(this.byCredential.keys().next().value as string);
    }
  }
}

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;
const HEADER_CONSUMER_KEY = /(?:^|[\s,])oauth_consumer_key\s*=\s*"([^"]*)"/;
const PARAMETER_CONSUMER_KEY = /(?:^|[?&])oauth_consumer_key=([^&]*)/;

/**
 * The credential a call names, as a cache key: `oauth:<consumer key>` (header, query or form body,
 * RFC 5849 §3.5) or `bearer:<SHA-256 of the token>` (the token itself is a secret: only its digest
 * is kept). Undefined when there is none. Read before verification, so it is only a guess: the
 * verdict says whose credentials they really are.
 */
export function credentialOf(call: {
  authorization: string | undefined;
  target: string;
  formBody: string | undefined;
}): string | undefined {
  const { authorization } = call;
  if (authorization !== undefined) {
    const bearer = BEARER.exec(authorization);
    if (bearer) return `bearer:${createHash('sha256').update(bearer[1]).digest('base64url')}`;
    const key = HEADER_CONSUMER_KEY.exec(authorization);
    if (key) return `oauth:${key[1]}`;
  }
  const query = call.target.indexOf('?');
  const inQuery = query === -1 ? null : PARAMETER_CONSUMER_KEY.exec(call.target.slice(query));
  if (inQuery) return `oauth:${inQuery[1]}`;
  const inForm = call.formBody === undefined ? null : PARAMETER_CONSUMER_KEY.exec(`&${call.formBody}`);
  return inForm ? `oauth:${inForm[1]}` : undefined;
}
