/** The answer to the gateway for a protected API call. */
export type ApiCallVerdict =
  | { ok: true; integrationId: string; consumerKey: string; scheme: 'oauth' | 'bearer' }
  | { ok: false; status: 400 | 401; code: string; problem: string };

export const refuse = (status: 400 | 401, code: string, problem: string): ApiCallVerdict => ({
  ok: false,
  status,
  code,
  problem,
});

// Magento answers "The consumer isn't authorized to access %resources."; the resources are the
// gateway's business (ACL), so the reason is named instead.
export const integrationInactive = () =>
  refuse(
    401,
    'OAUTH.INTEGRATION_INACTIVE',
    "The consumer isn't authorized to access this resource: the integration is not active.",
  );
