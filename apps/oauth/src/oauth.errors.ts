import { DomainError } from '@integrations/service-kit';

// The oauth service's HTTP errors (admin-side API). OAuth protocol refusals are not errors here:
// they are `{status, body: oauth_problem=…}` answers (see token-exchange/) that the gateway relays.

export const integrationDeleted = (integrationId: string) =>
  new DomainError(
    'OAUTH.INTEGRATION_DELETED',
    `Integration ${integrationId} was deleted; its credentials cannot be issued.`,
    404,
  );

export const callbackUrlInvalid = (message: string) => new DomainError('OAUTH.CALLBACK_URL_INVALID', message, 400);

/** The callback URL points at an address the SSRF guard refuses (loopback, private, metadata, …). */
export const callbackAddressRefused = (message: string, details: Record<string, unknown>) =>
  new DomainError('OAUTH.CALLBACK_ADDRESS_REFUSED', message, 422, details);

/** Magento's "The attempt to post data to consumer failed…", with the reason; 502 as an upstream failure. */
export const callbackFailed = (reason: string, host: string, status?: number) =>
  new DomainError(
    'OAUTH.CALLBACK_FAILED',
    `The attempt to post data to consumer failed: ${reason} (callback host ${host}). Check that the callback URL is reachable and answers 2xx, then try again.`,
    502,
    status === undefined ? { host } : { host, status },
  );

/**
 * The oauth database did not answer the change-signal read a cached answer depends on
 * (docs/adr/0006 §3): refusing to vouch for credentials beats answering from a cache that may be stale.
 */
export const credentialStoreUnavailable = () =>
  new DomainError(
    'OAUTH.STORE_UNAVAILABLE',
    'The oauth database did not answer, so the credentials cannot be verified now. Retry shortly.',
    503,
  );

/**
 * The change was written, but the change signal that tells the other replicas could not be set:
 * they may keep answering from their caches until the next change, so the caller must not take the
 * change as done. Repeating the request makes (and announces) the change again.
 */
export const credentialChangeNotAnnounced = () =>
  new DomainError(
    'OAUTH.CHANGE_NOT_ANNOUNCED',
    'The credentials were changed, but the other oauth replicas could not be told (the oauth database did not answer). Repeat the request once the database is back.',
    503,
  );

/** "Rotate consumer secret" on an integration that has no consumer (never activated, or reset). */
export const noConsumerToRotate = (integrationId: string) =>
  new DomainError(
    'OAUTH.NO_CREDENTIALS',
    `Integration ${integrationId} has no consumer secret to rotate: activate it first.`,
    409,
  );

/** Two admins rotating the same secret at once: one wins, the other is told to look again. */
export const rotationInProgress = () =>
  new DomainError(
    'OAUTH.ROTATION_IN_PROGRESS',
    'Another rotation of this consumer secret is in progress. Reload the integration to see its result before rotating again.',
    409,
  );
