import type { ApiCallVerdict } from '@integrations/contracts';
import type { CallOutcome } from '../protected-api/call-outcome';
import { usageOf } from './usage-outcome';

const ID = 'integration-1';
const accepted: ApiCallVerdict = { ok: true, integrationId: ID, consumerKey: 'k', scheme: 'oauth' };
const badSignature = (integrationId?: string): ApiCallVerdict => ({
  ok: false,
  status: 401,
  code: 'OAUTH.SIGNATURE_INVALID',
  problem: 'The signature is invalid. Verify and try again.',
  ...(integrationId ? { integrationId } : {}),
});
const allow = (integrationId: string | null): CallOutcome => ({
  kind: 'allow',
  integrationId,
  routeId: 'GET /V1/products',
  upstream: 'commerce',
  upstreamUrl: null,
  upstreamPath: '/rest/V1/products',
});
const deny = (status: 400 | 401 | 403 | 404, reason: string): CallOutcome => ({
  kind: 'deny',
  status,
  body: { message: 'no' },
  resources: [],
  routeId: status === 404 ? null : 'GET /V1/orders',
  reason,
});

describe('usageOf: whose call it was and how it ended', () => {
  it('counts an allowed call of a verified integration as accepted', () => {
    expect(usageOf(accepted, allow(ID))).toEqual({ integrationId: ID, result: 'accepted' });
  });

  it('names the acl and route refusals of a verified integration', () => {
    expect(usageOf(accepted, deny(403, 'resource-not-granted'))).toEqual({ integrationId: ID, result: 'acl' });
    expect(usageOf(accepted, deny(401, 'integration-not-active'))).toEqual({ integrationId: ID, result: 'acl' });
    expect(usageOf(accepted, deny(404, 'route-not-found'))).toEqual({ integrationId: ID, result: 'route' });
  });

  it('counts a refused signature for the integration oauth named', () => {
    const verdict = badSignature(ID);
    expect(usageOf(verdict, deny(401, 'OAUTH.SIGNATURE_INVALID'))).toEqual({ integrationId: ID, result: 'signature' });
    // Magento's order: an unknown route is 404 whatever the credentials.
    expect(usageOf(verdict, deny(404, 'route-not-found'))).toEqual({ integrationId: ID, result: 'route' });
  });

  it('gives a reason it does not list by where it came from: a 404 is a route, an acl refusal is acl', () => {
    expect(usageOf(accepted, deny(401, 'a-reason-added-later'))).toEqual({ integrationId: ID, result: 'acl' });
    expect(usageOf(accepted, deny(404, 'another-404'))).toEqual({ integrationId: ID, result: 'route' });
    expect(usageOf(badSignature(ID), deny(401, 'OAUTH.SOMETHING_NEW'))).toMatchObject({ result: 'acl' });
    const verdict: ApiCallVerdict = {
      ok: false,
      status: 401,
      code: 'OAUTH.SOMETHING_NEW',
      problem: '?',
      integrationId: ID,
    };
    expect(usageOf(verdict, deny(401, 'OAUTH.SOMETHING_NEW'))).toMatchObject({ result: 'signature' });
  });

  it('counts nobody for an anonymous call, an unknown consumer, or a bad signature on an open route', () => {
    expect(usageOf(null, deny(401, 'anonymous-caller'))).toBeNull();
    expect(usageOf(null, allow(null))).toBeNull();
    expect(usageOf(badSignature(), deny(401, 'OAUTH.SIGNATURE_INVALID'))).toBeNull();
    expect(usageOf(badSignature(ID), allow(null))).toBeNull();
  });
});
