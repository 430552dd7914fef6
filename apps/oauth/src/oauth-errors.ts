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
export const callbackFailed = (reason: string, host: string) =>
  new DomainError(
    'OAUTH.CALLBACK_FAILED',
    `The attempt to post data to consumer failed: ${reason} (callback host ${host}). Check that the callback URL is reachable and answers 2xx, then try again.`,
    502,
    { host },
  );
