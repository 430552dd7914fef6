import type { AclDecision, ApiCallVerdict } from '@integrations/contracts';
import { CallAuthorizer, carriesCredentials } from './call-authorizer';
import type { CheckServices } from './check-services.client';
import { credentialOf, KnownIntegrations } from './known-integrations';

describe('carriesCredentials', () => {
  const call = (authorization: string | undefined, target = '/rest/V1/products', formBody?: string) => ({
    authorization,
    target,
    formBody,
  });

  it('sees OAuth and Bearer Authorization headers, whatever the case of the scheme', () => {
    expect(carriesCredentials(call('OAuth oauth_consumer_key="k"'))).toBe(true);
    expect(carriesCredentials(call('oauth realm=""'))).toBe(true);
    expect(carriesCredentials(call('Bearer abc'))).toBe(true);
    expect(carriesCredentials(call('bearer'))).toBe(true);
  });

  it('treats no header, or another scheme, as an anonymous call', () => {
    expect(carriesCredentials(call(undefined))).toBe(false);
    expect(carriesCredentials(call('Basic dXNlcjpwYXNz'))).toBe(false);
    expect(carriesCredentials(call('OAuthish x'))).toBe(false);
  });

  it('sees protocol parameters sent in the query or a form body instead (RFC 5849 3.5.2, 3.5.3)', () => {
    expect(carriesCredentials(call(undefined, '/rest/V1/products?oauth_consumer_key=k&oauth_signature=s'))).toBe(true);
    expect(carriesCredentials(call(undefined, '/rest/V1/products?a=1&oauth_signature=s'))).toBe(true);
    expect(carriesCredentials(call(undefined, '/rest/V1/products', 'name=x&oauth_signature=s'))).toBe(true);
    expect(carriesCredentials(call(undefined, '/rest/V1/products?not_oauth_signature=s'))).toBe(false);
    expect(carriesCredentials(call(undefined, '/rest/V1/oauth_signature=x'))).toBe(false);
  });
});

describe('CallAuthorizer: verify and decide in parallel only when the integration is known', () => {
  const routeId = 'GET /V1/products';
  const allow = (integrationId: string | null): AclDecision => ({
    decision: 'allow',
    status: 200,
    reason: integrationId ? 'granted' : 'guest-access',
    routeId,
    upstream: 'commerce',
    upstreamUrl: null,
    upstreamPath: '/rest/V1/products',
    resources: ['Magento_Catalog::products'],
  });
  const denyAnonymous: AclDecision = {
    decision: 'deny',
    status: 401,
    reason: 'anonymous-caller',
    routeId,
    upstream: null,
    upstreamUrl: null,
    upstreamPath: null,
    resources: ['Magento_Catalog::products'],
    body: { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'x' } },
  };

  /** The check services as a log of what was asked, in order; verdicts by consumer key. */
  function checks(verdicts: Record<string, ApiCallVerdict>) {
    const log: string[] = [];
    const services: CheckServices = {
      verify: async (call) => {
        log.push('verify:start');
        await new Promise((resolve) => setImmediate(resolve));
        log.push('verify:end');
        return verdicts[/oauth_consumer_key="([^"]*)"/.exec(call.authorization ?? '')?.[1] ?? ''];
      },
      decide: async (request) => {
        log.push(`decide:${request.integrationId}`);
        return request.integrationId === null ? denyAnonymous : allow(request.integrationId);
      },
    };
    return { log, services };
  }
  const call = (consumerKey: string) => ({
    method: 'GET',
    target: '/rest/V1/products',
    normalTarget: '/rest/V1/products',
    signedUrl: 'http://gw/rest/V1/products',
    authorization: `OAuth oauth_consumer_key="${consumerKey}", oauth_signature="s"`,
    contentType: undefined,
    formBody: undefined,
    correlationId: 'c-1',
  });
  const ok = (integrationId: string): ApiCallVerdict => ({
    ok: true,
    integrationId,
    consumerKey: 'k',
    scheme: 'oauth',
  });
  const refused: ApiCallVerdict = { ok: false, status: 401, code: 'OAUTH.SIGNATURE_INVALID', problem: 'invalid' };

  it('asks one after the other for an unknown key, then in parallel once oauth has named its integration', async () => {
    const { log, services } = checks({ k1: ok('int-1') });
    const authorizer = new CallAuthorizer(services, new KnownIntegrations());
    expect(await authorizer.authorize(call('k1'))).toMatchObject({ kind: 'allow', integrationId: 'int-1' });
    expect(log).toEqual(['verify:start', 'verify:end', 'decide:int-1']);
    log.length = 0;
    expect(await authorizer.authorize(call('k1'))).toMatchObject({ kind: 'allow', integrationId: 'int-1' });
    expect(log).toEqual(['verify:start', 'decide:int-1', 'verify:end']);
  });

  it('never answers from a parallel decision about another caller than the one oauth verified', async () => {
    const verdicts: Record<string, ApiCallVerdict> = { k1: ok('int-1') };
    const { log, services } = checks(verdicts);
    const authorizer = new CallAuthorizer(services, new KnownIntegrations());
    await authorizer.authorize(call('k1'));

    // Now refused (revoked, bad signature): the decision for int-1 is thrown away, the anonymous one counts.
    verdicts.k1 = refused;
    log.length = 0;
    expect(await authorizer.authorize(call('k1'))).toMatchObject({ kind: 'deny', status: 401, reason: refused.code });
    expect(log).toEqual(['verify:start', 'decide:int-1', 'verify:end', 'decide:null']);

    // oauth names another integration than the guess: decided again for that one, and remembered.
    verdicts.k1 = ok('int-2');
    log.length = 0;
    expect(await authorizer.authorize(call('k1'))).toMatchObject({ kind: 'allow', integrationId: 'int-2' });
    expect(log).toEqual(['verify:start', 'decide:int-1', 'verify:end', 'decide:int-2']);
    log.length = 0;
    await authorizer.authorize(call('k1'));
    expect(log).toEqual(['verify:start', 'decide:int-2', 'verify:end']);
  });

  it('counts each outcome once, for the integration the verdict names, whatever path it took', async () => {
    const verdicts: Record<string, ApiCallVerdict> = {
      k1: ok('int-1'),
      k2: { ...refused, integrationId: 'int-2' },
      unknown: { ...refused, code: 'OAUTH.CONSUMER_KEY_UNKNOWN' },
    };
    const { services } = checks(verdicts);
    const counted: Array<[string, string]> = [];
    const authorizer = new CallAuthorizer(services, new KnownIntegrations(), {
      record: (integrationId, result) => counted.push([integrationId, result]),
    });
    await authorizer.authorize(call('k1')); // verify, then decide
    await authorizer.authorize(call('k1')); // both at once
    await authorizer.authorize(call('k2')); // a known consumer, a bad signature
    await authorizer.authorize(call('unknown'));
    await authorizer.authorize({ ...call('x'), authorization: undefined });
    expect(counted).toEqual([
      ['int-1', 'accepted'],
      ['int-1', 'accepted'],
      ['int-2', 'signature'],
    ]);
  });

  it('asks only the acl about an anonymous call', async () => {
    const { log, services } = checks({});
    const authorizer = new CallAuthorizer(services, new KnownIntegrations());
    expect(await authorizer.authorize({ ...call('x'), authorization: undefined })).toMatchObject({
      kind: 'deny',
      status: 401,
    });
    expect(log).toEqual(['decide:null']);
  });
});

describe('credentialOf and KnownIntegrations', () => {
  const at = (authorization: string | undefined, target = '/rest/V1/products', formBody?: string) =>
    credentialOf({ authorization, target, formBody });

  it('names the consumer key of the header, the query or the form body, and only a digest of a bearer token', () => {
    expect(at('OAuth realm="", oauth_consumer_key="abc", oauth_signature="s"')).toBe('oauth:abc');
    expect(at(undefined, '/rest/V1/products?oauth_consumer_key=abc&oauth_signature=s')).toBe('oauth:abc');
    expect(at(undefined, '/rest/V1/products', 'x=1&oauth_consumer_key=abc')).toBe('oauth:abc');
    const bearer = at('Bearer 0123456789abcdef0123456789abcdef');
    expect(bearer).toMatch(/^bearer:[\w-]{43}$/);
    expect(bearer).not.toContain('0123456789abcdef');
    expect(at('Basic xyz')).toBeUndefined();
  });

  it('keeps at most its bound, dropping the least recently used', () => {
    const known = new KnownIntegrations(2);
    known.remember('a', 'int-a');
    known.remember('b', 'int-b');
    expect(known.get('a')).toBe('int-a');
    known.remember('c', 'int-c');
    expect([known.get('a'), known.get('b'), known.get('c')]).toEqual(['int-a', undefined, 'int-c']);
  });
});
