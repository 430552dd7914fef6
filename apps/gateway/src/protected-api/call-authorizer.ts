import { isFormUrlencoded } from './form-content';
import { callOutcome, type CallOutcome } from './call-outcome';
import type { CheckServicesClient } from './check-services.client';

export interface CallToAuthorize {
  method: string;
  /** The raw request target (path + query) as received. */
  target: string;
  /** The absolute URL the client signed (signature-url.ts). */
  signedUrl: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The raw body when it is form-urlencoded (its parameters are signed); otherwise absent. */
  formBody: string | undefined;
  correlationId: string;
}

const CREDENTIAL_SCHEME = /^\s*(?:oauth|bearer)(?:\s|$)/i;
// RFC 5849 §3.5.2/§3.5.3: the protocol parameters may travel in the body or the query instead.
const OAUTH_PARAMETER = /(?:^|[?&])oauth_(?:signature|consumer_key)=/;

/** Whether the call presents integration credentials at all; without any it is anonymous (guest access). */
export function carriesCredentials(call: Pick<CallToAuthorize, 'authorization' | 'target' | 'formBody'>): boolean {
  if (call.authorization !== undefined && CREDENTIAL_SCHEME.test(call.authorization)) return true;
  const query = call.target.indexOf('?');
  if (query !== -1 && OAUTH_PARAMETER.test(call.target.slice(query))) return true;
  return call.formBody !== undefined && OAUTH_PARAMETER.test(`&${call.formBody}`);
}

/**
 * The protected path's checks: the signature (oauth service) when the call carries credentials,
 * then the route, grants and guest access (acl service), combined by callOutcome.
 */
export class CallAuthorizer {
  constructor(private readonly checks: CheckServicesClient) {}

  async authorize(call: CallToAuthorize): Promise<CallOutcome> {
    const verdict = carriesCredentials(call)
      ? await this.checks.verify(
          {
            method: call.method,
            url: call.signedUrl,
            authorization: call.authorization ?? null,
            contentType: call.contentType ?? null,
            body: call.formBody !== undefined && isFormUrlencoded(call.contentType) ? call.formBody : null,
          },
          call.correlationId,
        )
      : null;
    const decision = await this.checks.decide(
      { method: call.method, path: call.target, integrationId: verdict?.ok ? verdict.integrationId : null },
      call.correlationId,
    );
    return callOutcome(verdict, decision);
  }
}
