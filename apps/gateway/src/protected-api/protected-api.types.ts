// What the gateway reads from the oauth and acl services' internal answers (their contracts:
// apps/oauth `POST /oauth/verify/api-call`, apps/acl `POST /decisions`). Restated, not imported:
// apps never import one another.

/** What the gateway forwards of a signed call, untouched (the oauth service verifies it). */
export interface SignedCall {
  method: string;
  /** The absolute URL the client signed: scheme://host[:port] + the raw path and query. */
  url: string;
  authorization: string | null;
  contentType: string | null;
  /** The raw body, only for application/x-www-form-urlencoded (the only signed kind). */
  body: string | null;
}

export type ApiCallVerdict =
  | { ok: true; integrationId: string; consumerKey: string }
  | { ok: false; status: 400 | 401; code: string; problem: string };

/** Magento's REST error body. */
export interface MagentoErrorBody {
  message: string;
  parameters?: Record<string, string>;
}

export interface DecisionRequest {
  method: string;
  /** Raw request target (path + query). */
  path: string;
  integrationId: string | null;
}

export type AclDecision =
  | {
      decision: 'allow';
      status: 200;
      reason: string;
      upstream: string;
      upstreamUrl: string | null;
      upstreamPath: string;
      resources: readonly string[];
    }
  | {
      decision: 'deny';
      status: 401 | 403 | 404;
      reason: string;
      upstream: null;
      upstreamUrl: null;
      upstreamPath: null;
      resources: readonly string[];
      body: MagentoErrorBody;
    };
