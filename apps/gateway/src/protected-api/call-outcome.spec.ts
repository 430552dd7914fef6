import { callOutcome } from './call-outcome';
import type { AclDecision, ApiCallVerdict } from '@integrations/contracts';

const notAuthorized = (resources: string) => ({
  message: "The consumer isn't authorized to access %resources.",
  parameters: { resources },
});
const allow = (reason: string): AclDecision => ({
  decision: 'allow',
  status: 200,
  reason,
  routeId: 'GET /V1/products',
  upstream: 'commerce',
  upstreamUrl: 'http://commerce:3010',
  upstreamPath: '/rest/V1/products?x=1',
  resources: ['Magento_Catalog::products'],
});
const deny = (status: 401 | 403 | 404, reason: string): AclDecision => ({
  decision: 'deny',
  status,
  reason,
  routeId: status === 404 ? null : 'GET /V1/orders',
  upstream: null,
  upstreamUrl: null,
  upstreamPath: null,
  resources: status === 404 ? [] : ['Magento_Sales::actions_view'],
  body:
    status === 404 ? { message: 'Request does not match any route.' } : notAuthorized('Magento_Sales::actions_view'),
});
const verified: ApiCallVerdict = { ok: true, integrationId: 'int-1', consumerKey: 'k'.repeat(32), scheme: 'oauth' };
const badSignature: ApiCallVerdict = {
  ok: false,
  status: 401,
  code: 'OAUTH.SIGNATURE_INVALID',
  problem: 'The signature is invalid. Verify and try again.',
};
const missingNonce: ApiCallVerdict = {
  ok: false,
  status: 400,
  code: 'OAUTH.PARAMETER_ABSENT',
  problem: '"oauth_nonce" is required. Enter and try again.',
};

describe('callOutcome', () => {
  it('forwards a granted call with the verified integration id and the raw upstream path', () => {
    expect(callOutcome(verified, allow('granted'))).toEqual({
      kind: 'allow',
      integrationId: 'int-1',
      routeId: 'GET /V1/products',
      upstream: 'commerce',
      upstreamUrl: 'http://commerce:3010',
      upstreamPath: '/rest/V1/products?x=1',
      rateLimit: null,
    });
  });

  it('forwards an anonymous guest call without an integration id', () => {
    expect(callOutcome(null, allow('guest-access'))).toMatchObject({ kind: 'allow', integrationId: null });
  });

  it('answers Magento 404 for an unknown route, even when the signature is bad', () => {
    expect(callOutcome(badSignature, deny(404, 'route-not-found'))).toMatchObject({
      kind: 'deny',
      status: 404,
      body: { message: 'Request does not match any route.' },
    });
  });

  it('passes the acl 403 through for an active integration without the resource', () => {
    expect(callOutcome(verified, deny(403, 'resource-not-granted'))).toMatchObject({
      kind: 'deny',
      status: 403,
      body: notAuthorized('Magento_Sales::actions_view'),
      resources: ['Magento_Sales::actions_view'],
    });
  });

  it("answers a refused signature with the OAuth problem as Magento's message (401), and malformed input with 400", () => {
    expect(callOutcome(badSignature, deny(401, 'anonymous-caller'))).toMatchObject({
      status: 401,
      body: { message: 'The signature is invalid. Verify and try again.' },
      reason: 'OAUTH.SIGNATURE_INVALID',
    });
    expect(callOutcome(missingNonce, deny(401, 'anonymous-caller'))).toMatchObject({
      status: 400,
      body: { message: '"oauth_nonce" is required. Enter and try again.' },
    });
  });

  it("answers the acl's 401 with the route resources for a valid signature of an integration that is not active", () => {
    expect(callOutcome(verified, deny(401, 'integration-not-active'))).toMatchObject({
      status: 401,
      body: notAuthorized('Magento_Sales::actions_view'),
    });
  });

  it('lets a badly signed call through as anonymous where Magento never looks at the caller (guest or anonymous route)', () => {
    expect(callOutcome(badSignature, allow('anonymous-route'))).toMatchObject({ kind: 'allow', integrationId: null });
    expect(callOutcome(badSignature, allow('guest-access'))).toMatchObject({ kind: 'allow', integrationId: null });
  });
});
