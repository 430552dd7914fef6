import { referenceHeader, referenceSignature, type ClientCall, type Method } from '../test/support/reference-client';
import {
  formatProblem,
  type OAuthConsumerRecord,
  type OAuthHttpRequest,
  type OAuthTokenRecord,
  type TokenPolicy,
  verifyRequest,
  type VerifyLookups,
  type VerifyOptions,
} from './index';

const NOW = new Date('2025-03-01T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;

interface Consumer extends OAuthConsumerRecord {
  key: string;
  expired: boolean;
}
interface Token extends OAuthTokenRecord {
  token: string;
}

// 32-character values as Magento issues them. Test fixtures, not real credentials.
const c32 = (seed: string) => seed.repeat(32).slice(0, 32);
const CONSUMER: Consumer = { id: 'consumer-1', key: c32('ck1'), secret: c32('cs1'), expired: false };
const OTHER: Consumer = { id: 'consumer-2', key: c32('ck2'), secret: c32('cs2'), expired: false };
const ACCESS: Token = { token: c32('at1'), consumerId: CONSUMER.id, type: 'access', secret: c32('as1') };
const REVOKED: Token = { ...ACCESS, token: c32('rv1'), revoked: true };
const FOREIGN: Token = { token: c32('at2'), consumerId: OTHER.id, type: 'access', secret: c32('as2') };
const REQUEST: Token = {
  token: c32('rq1'),
  consumerId: CONSUMER.id,
  type: 'request',
  secret: c32('rs1'),
  verifier: c32('vf1'),
};
const FOREIGN_REQUEST: Token = { ...REQUEST, token: c32('rq2'), consumerId: OTHER.id };
const VERIFIER_ROW: Token = { token: c32('vt1'), consumerId: CONSUMER.id, type: 'verifier', secret: c32('vs1') };

class MemoryLookups implements VerifyLookups<Consumer, Token> {
  readonly consumers = new Map([CONSUMER, OTHER].map((c) => [c.key, c]));
  readonly tokens = new Map(
    [ACCESS, REVOKED, FOREIGN, REQUEST, FOREIGN_REQUEST, VERIFIER_ROW].map((t) => [t.token, t]),
  );
  readonly consumerTokens = new Map<string, Token>([[CONSUMER.id, VERIFIER_ROW]]);
  readonly nonces = new Set<string>();
  readonly claims: Array<[string, string, number]> = [];

  findConsumer = async (key: string) => this.consumers.get(key);
  findToken = async (token: string) => this.tokens.get(token);
  findConsumerToken = async (consumer: Consumer) => this.consumerTokens.get(consumer.id);
  nonceStore = {
    claim: async (consumerId: string, nonce: string, timestamp: number) => {
      this.claims.push([consumerId, nonce, timestamp]);
      const key = `${consumerId}\u0000${nonce}`;
      if (this.nonces.has(key)) return false;
      this.nonces.add(key);
      return true;
    },
  };
}

/** One request, as a partner app would build it, with every knob a fault can turn. */
interface Spec {
  call: ClientCall;
  /** HMAC actually computed (the advertised method is oauth.oauth_signature_method). */
  hmac: Method;
  oauth: Record<string, string>;
  omit: string[];
  consumerSecret: string;
  tokenSecret?: string;
  preclaimNonce: boolean;
  consumerExpired: boolean;
}

let nonceCounter = 0;
function spec(mode: 'request-token' | 'access-token' | 'api-call'): Spec {
  const oauth: Record<string, string> = {
    oauth_consumer_key: CONSUMER.key,
    oauth_nonce: `nonce-${++nonceCounter}`,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(NOW_S),
    oauth_version: '1.0',
  };
  let tokenSecret: string | undefined;
  if (mode === 'api-call') {
    oauth.oauth_token = ACCESS.token;
    tokenSecret = ACCESS.secret;
  } else if (mode === 'access-token') {
    oauth.oauth_token = REQUEST.token;
    oauth.oauth_verifier = REQUEST.verifier!;
    tokenSecret = REQUEST.secret;
  }
  const call: ClientCall =
    mode === 'api-call'
      ? { method: 'GET', url: 'https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10' }
      : {
          method: 'POST',
          url: `https://shop.example.com/oauth/token/${mode === 'access-token' ? 'access' : 'request'}`,
        };
  return {
    call,
    hmac: 'HMAC-SHA256',
    oauth,
    omit: [],
    consumerSecret: CONSUMER.secret,
    tokenSecret,
    preclaimNonce: false,
    consumerExpired: false,
  };
}

function build(s: Spec): OAuthHttpRequest {
  const signature = referenceSignature(s.hmac, s.consumerSecret, s.call, s.oauth, s.tokenSecret);
  const params: Record<string, string> = { ...s.oauth, oauth_signature: signature };
  for (const name of s.omit) delete params[name];
  const [, protocol, host, target] = /^(https?):\/\/([^/]+)(.*)$/.exec(s.call.url)!;
  return { method: s.call.method, url: target, protocol, headers: { host, authorization: referenceHeader(params) } };
}

async function run(
  s: Spec,
  mode: VerifyOptions<Consumer, Token>['mode'],
  extra: Partial<VerifyOptions<Consumer, Token>> = {},
  lookups = new MemoryLookups(),
) {
  if (s.preclaimNonce) await lookups.nonceStore.claim(CONSUMER.id, s.oauth.oauth_nonce, NOW_S);
  return verifyRequest(build(s), lookups, {
    mode,
    now: NOW,
    isConsumerExpired: (consumer) => consumer.id === CONSUMER.id && s.consumerExpired,
    ...extra,
  });
}

interface Fault {
  name: string;
  apply: (s: Spec) => void;
  status: 400 | 401;
  problem: string;
}

const commonFaults = (tokenParams: string[]): Fault[] => [
  {
    name: 'unsupported oauth_version',
    apply: (s) => (s.oauth.oauth_version = '2.0'),
    status: 400,
    problem: 'The "2.0" Oauth version isn\'t supported.',
  },
  ...[
    'oauth_consumer_key',
    'oauth_signature',
    'oauth_signature_method',
    'oauth_nonce',
    'oauth_timestamp',
    ...tokenParams,
  ].map((name): Fault => ({
    name: `missing ${name}`,
    apply: (s) => s.omit.push(name),
    status: 400,
    problem: `"${name}" is required. Enter and try again.`,
  })),
  {
    name: 'oauth_token of the wrong length',
    apply: (s) => (s.oauth.oauth_token = 'short'),
    status: 400,
    problem: 'The token length is invalid. Check the length and try again.',
  },
  {
    name: 'unsupported signature method',
    apply: (s) => (s.oauth.oauth_signature_method = 'PLAINTEXT'),
    status: 400,
    problem: 'Signature method PLAINTEXT is not supported',
  },
  {
    name: 'consumer key of the wrong length',
    apply: (s) => (s.oauth.oauth_consumer_key = 'short'),
    status: 401,
    problem: 'Consumer key is not the correct length',
  },
  {
    name: 'unknown consumer',
    apply: (s) => (s.oauth.oauth_consumer_key = c32('nobody')),
    status: 401,
    problem: 'A consumer having the specified key does not exist',
  },
  {
    name: 'timestamp too old',
    apply: (s) => (s.oauth.oauth_timestamp = String(NOW_S - 601)),
    status: 400,
    problem: 'Incorrect timestamp value in the oauth_timestamp parameter',
  },
  {
    name: 'reused nonce',
    apply: (s) => (s.preclaimNonce = true),
    status: 401,
    problem: 'The nonce is already being used by the consumer with ID consumer-1',
  },
  {
    name: 'expired consumer',
    apply: (s) => (s.consumerExpired = true),
    status: 401,
    problem: 'Consumer key has expired',
  },
];

const badSignature: Fault = {
  name: 'bad signature',
  apply: (s) => (s.consumerSecret = c32('wrong')),
  status: 401,
  problem: 'The signature is invalid. Verify and try again.',
};

/**
 * Proves the order: for fault i, the request carries faults i..n-1 all at once and must be refused
 * for fault i. Faults are applied last-to-first so an earlier one wins where two touch one field.
 */
function expectOrder(mode: 'request-token' | 'access-token' | 'api-call', faults: Fault[], ok: (r: unknown) => void) {
  it.each(faults.map((f, i) => [i + 1, f.name, i] as const))('%i. %s', async (_n, _name, i) => {
    const s = spec(mode);
    for (let j = faults.length - 1; j >= i; j--) faults[j].apply(s);
    const result = await run(s, mode);
    expect(result).toEqual(
      expect.objectContaining({ ok: false, status: faults[i].status, problem: faults[i].problem }),
    );
  });
  it('with every fault fixed, the request verifies', async () => {
    const result = await run(spec(mode), mode);
    ok(result);
  });
}

describe('verifyRequest, api-call mode: every rejection in Magento order', () => {
  expectOrder(
    'api-call',
    [
      ...commonFaults(['oauth_token']),
      {
        name: 'unknown token',
        apply: (s) => (s.oauth.oauth_token = c32('unknown')),
        status: 401,
        problem: 'Specified token does not exist',
      },
      {
        name: "another consumer's token",
        apply: (s) => (s.oauth.oauth_token = FOREIGN.token),
        status: 401,
        problem: 'Token is not associated with the specified consumer',
      },
      {
        name: 'a request token used as an access token',
        apply: (s) => (s.oauth.oauth_token = REQUEST.token),
        status: 401,
        problem: 'Token is not an access token',
      },
      {
        name: 'revoked access token',
        apply: (s) => (s.oauth.oauth_token = REVOKED.token),
        status: 401,
        problem: 'Access token has been revoked',
      },
      badSignature,
    ],
    (result) =>
      expect(result).toEqual({
        ok: true,
        consumer: CONSUMER,
        token: ACCESS,
        params: expect.objectContaining({ oauth_token: ACCESS.token }),
        signatureMethod: 'HMAC-SHA256',
        consumerSecret: 'current',
      }),
  );
});

describe('verifyRequest, access-token mode: every rejection in Magento order', () => {
  expectOrder(
    'access-token',
    [
      ...commonFaults(['oauth_token', 'oauth_verifier']),
      {
        name: 'unknown request token',
        apply: (s) => (s.oauth.oauth_token = c32('unknown')),
        status: 401,
        problem: 'Specified token does not exist',
      },
      {
        name: "another consumer's request token",
        apply: (s) => (s.oauth.oauth_token = FOREIGN_REQUEST.token),
        status: 401,
        problem: 'Request token is not associated with the specified consumer',
      },
      {
        name: 'an access token used as a request token',
        apply: (s) => (s.oauth.oauth_token = ACCESS.token),
        status: 401,
        problem: 'Token is already being used',
      },
      {
        name: 'verifier of the wrong length',
        apply: (s) => (s.oauth.oauth_verifier = 'short'),
        status: 401,
        problem: 'Verifier is not the correct length',
      },
      {
        name: 'wrong verifier',
        apply: (s) => (s.oauth.oauth_verifier = c32('wrongverifier')),
        status: 401,
        problem: 'Token verifier and verifier token do not match',
      },
      badSignature,
    ],
    (result) => expect(result).toEqual(expect.objectContaining({ ok: true, consumer: CONSUMER, token: REQUEST })),
  );
});

describe('verifyRequest, request-token mode: every rejection in Magento order', () => {
  expectOrder('request-token', [...commonFaults([]), badSignature], (result) =>
    expect(result).toEqual(expect.objectContaining({ ok: true, consumer: CONSUMER, token: VERIFIER_ROW })),
  );

  it('checks the consumer token type after the signature (Magento step 9)', async () => {
    const lookups = new MemoryLookups();
    lookups.consumerTokens.set(CONSUMER.id, { ...VERIFIER_ROW, type: 'request' });
    const badSig = spec('request-token');
    badSignature.apply(badSig);
    expect(await run(badSig, 'request-token', {}, lookups)).toMatchObject({
      status: 401,
      problem: 'The signature is invalid. Verify and try again.',
    });
    expect(await run(spec('request-token'), 'request-token', {}, lookups)).toMatchObject({
      status: 401,
      problem: 'Cannot create request token because consumer token is not a verifier token',
    });
    lookups.consumerTokens.clear();
    expect(await run(spec('request-token'), 'request-token', {}, lookups)).toMatchObject({
      status: 401,
      problem: 'A token with consumer ID consumer-1 does not exist',
    });
  });

  it('ignores the token secret when the client also sends an oauth_token (signed with consumer_secret&)', async () => {
    const s = spec('request-token');
    s.oauth.oauth_token = ACCESS.token;
    expect(await run(s, 'request-token')).toMatchObject({ ok: true });
  });
});

describe('verifyRequest, timestamps and nonces', () => {
  it.each([
    [-600, true],
    [-601, false],
    [600, true],
    [601, false],
  ])('a timestamp %i s from now is accepted: %s (window in both directions)', async (offset, accepted) => {
    const s = spec('api-call');
    s.oauth.oauth_timestamp = String(NOW_S + offset);
    const result = await run(s, 'api-call');
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result).toMatchObject({ status: 400, code: 'OAUTH.TIMESTAMP_REFUSED' });
  });

  it.each(['0', '-5', 'abc', '12.5', '', `${NOW_S}x`])('refuses timestamp %j', async (timestamp) => {
    const s = spec('api-call');
    s.oauth.oauth_timestamp = timestamp;
    expect(await run(s, 'api-call')).toMatchObject({ status: 400, code: 'OAUTH.TIMESTAMP_REFUSED' });
  });

  it('honours a configured window', async () => {
    const s = spec('api-call');
    s.oauth.oauth_timestamp = String(NOW_S - 61);
    expect(await run(s, 'api-call', { timestampWindowSeconds: 60 })).toMatchObject({ code: 'OAUTH.TIMESTAMP_REFUSED' });
    expect(await run(s, 'api-call', { timestampWindowSeconds: 61 })).toMatchObject({ ok: true });
  });

  it('refuses an empty or absurdly long nonce', async () => {
    for (const nonce of ['', 'n'.repeat(129)]) {
      const s = spec('api-call');
      s.oauth.oauth_nonce = nonce;
      expect(await run(s, 'api-call')).toMatchObject({ status: 400, code: 'OAUTH.NONCE_REFUSED' });
    }
    const s = spec('api-call');
    s.oauth.oauth_nonce = 'n'.repeat(44);
    expect(await run(s, 'api-call')).toMatchObject({ ok: true });
  });

  it('a replayed request is refused; nonces are per consumer', async () => {
    const lookups = new MemoryLookups();
    const s = spec('api-call');
    expect(await run(s, 'api-call', {}, lookups)).toMatchObject({ ok: true });
    expect(await run(s, 'api-call', {}, lookups)).toMatchObject({ status: 401, code: 'OAUTH.NONCE_USED' });
    expect(lookups.claims.map(([consumer, nonce, ts]) => [consumer, nonce, ts])).toEqual([
      [CONSUMER.id, s.oauth.oauth_nonce, NOW_S],
      [CONSUMER.id, s.oauth.oauth_nonce, NOW_S],
    ]);
    await lookups.nonceStore.claim(OTHER.id, 'shared-nonce', NOW_S);
    const t = spec('api-call');
    t.oauth.oauth_nonce = 'shared-nonce';
    expect(await run(t, 'api-call', {}, lookups)).toMatchObject({ ok: true });
  });

  it('claims the nonce only once checks 1-5 pass, and (as Magento) before the signature is checked', async () => {
    const lookups = new MemoryLookups();
    const unknown = spec('api-call');
    unknown.oauth.oauth_consumer_key = c32('nobody');
    await run(unknown, 'api-call', {}, lookups);
    expect(lookups.claims).toEqual([]);

    const forged = spec('api-call');
    badSignature.apply(forged);
    expect(await run(forged, 'api-call', {}, lookups)).toMatchObject({ code: 'OAUTH.SIGNATURE_INVALID' });
    expect(lookups.claims).toHaveLength(1);
  });
});

describe('verifyRequest, signature methods', () => {
  it('refuses HMAC-SHA1 unless enabled, as Magento 2.4.4+ (#35510), and accepts it when enabled', async () => {
    const s = spec('api-call');
    s.hmac = 'HMAC-SHA1';
    s.oauth.oauth_signature_method = 'HMAC-SHA1';
    expect(await run(s, 'api-call')).toEqual({
      ok: false,
      status: 400,
      code: 'OAUTH.SIGNATURE_METHOD_REJECTED',
      problem: 'Signature method HMAC-SHA1 is not supported',
    });
    s.oauth.oauth_nonce = 'fresh';
    expect(await run(s, 'api-call', { allowHmacSha1: true })).toMatchObject({ ok: true, signatureMethod: 'HMAC-SHA1' });
  });

  it('refuses a signature computed with another HMAC than the one announced', async () => {
    const s = spec('api-call');
    s.hmac = 'HMAC-SHA1';
    expect(await run(s, 'api-call', { allowHmacSha1: true })).toMatchObject({ code: 'OAUTH.SIGNATURE_INVALID' });
  });

  it('accepts oauth_version absent, as Magento', async () => {
    const s = spec('api-call');
    delete s.oauth.oauth_version;
    expect(await run(s, 'api-call')).toMatchObject({ ok: true });
  });
});

describe('verifyRequest, unreadable requests (400 before any Magento check)', () => {
  const withHeaders = (headers: OAuthHttpRequest['headers'], url?: string): OAuthHttpRequest => {
    const request = build(spec('api-call'));
    return { ...request, url: url ?? request.url, headers: { ...request.headers, ...headers } };
  };

  it.each([
    [
      'a malformed Authorization header',
      withHeaders({ authorization: 'OAuth oauth_version="2.0", oops' }),
      'OAUTH.MALFORMED_AUTHORIZATION_HEADER',
    ],
    [
      'a protocol parameter in both the header and the query',
      withHeaders({}, '/rest/V1/products?oauth_nonce=x'),
      'OAUTH.DUPLICATE_PROTOCOL_PARAMETER',
    ],
    ['bad percent-encoding in the query', withHeaders({}, '/rest/V1/products?q=%E9'), 'OAUTH.MALFORMED_ENCODING'],
    ['no Host header', withHeaders({ host: undefined }), 'OAUTH.MALFORMED_HOST'],
  ])('%s', async (_name, request, code) => {
    const lookups = new MemoryLookups();
    const result = await verifyRequest(request, lookups, { mode: 'api-call', now: NOW });
    expect(result).toMatchObject({ ok: false, status: 400, code });
    expect(lookups.claims).toEqual([]);
  });

  it('without any OAuth parameter, reports the first required one', async () => {
    const request: OAuthHttpRequest = {
      method: 'GET',
      url: '/rest/V1/products',
      protocol: 'https',
      headers: { host: 'h' },
    };
    const result = await verifyRequest(request, new MemoryLookups(), { mode: 'api-call', now: NOW });
    expect(result).toMatchObject({ status: 400, problem: '"oauth_consumer_key" is required. Enter and try again.' });
    if (!result.ok) {
      expect(formatProblem(result.problem)).toBe(
        'oauth_problem=%22oauth_consumer_key%22+is+required.+Enter+and+try+again.',
      );
    }
  });
});

describe('verifyRequest, plumbing', () => {
  it('lets a lookup failure propagate (the caller answers 500)', async () => {
    const lookups = new MemoryLookups();
    lookups.findConsumer = async () => {
      throw new Error('database down');
    };
    await expect(run(spec('api-call'), 'api-call', {}, lookups)).rejects.toThrow('database down');
  });

  it('accepts a custom TokenPolicy (here: two-legged calls signed with the consumer secret only)', async () => {
    const twoLegged: TokenPolicy<Consumer, Token> = {
      requiredParams: [
        'oauth_consumer_key',
        'oauth_signature',
        'oauth_signature_method',
        'oauth_nonce',
        'oauth_timestamp',
      ],
      beforeSignature: async () => ({ ok: true, token: null }),
    };
    const s = spec('request-token');
    expect(await run(s, twoLegged)).toMatchObject({ ok: true, token: null });
  });
});

describe('verifyRequest, a rotated consumer secret', () => {
  const OLD = c32('old');
  const rotated = (expiresAt: Date) => {
    const lookups = new MemoryLookups();
    lookups.consumers.set(CONSUMER.key, { ...CONSUMER, previousSecret: { secret: OLD, expiresAt } });
    return lookups;
  };

  it.each(['api-call', 'access-token', 'request-token'] as const)(
    '%s: the previous secret signs until the overlap ends, the current one always',
    async (mode) => {
      const until = new Date(NOW.getTime() + 60_000);
      const withOld = { ...spec(mode), consumerSecret: OLD };
      expect(await run(withOld, mode, {}, rotated(until))).toMatchObject({ ok: true, consumerSecret: 'previous' });
      expect(await run(spec(mode), mode, {}, rotated(until))).toMatchObject({ ok: true, consumerSecret: 'current' });
    },
  );

  it('refuses the previous secret from the instant the overlap ends, whatever the lookup still holds', async () => {
    const until = new Date(NOW.getTime() + 60_000);
    const lookups = rotated(until);
    const at = async (now: Date) =>
      verifyRequest(
        build({ ...spec('api-call'), consumerSecret: OLD, oauth: { ...spec('api-call').oauth } }),
        lookups,
        {
          mode: 'api-call',
          now,
        },
      );
    expect(await at(new Date(until.getTime() - 1))).toMatchObject({ ok: true, consumerSecret: 'previous' });
    expect(await at(until)).toMatchObject({
      ok: false,
      status: 401,
      problem: 'The signature is invalid. Verify and try again.',
    });
  });

  it('accepts no other secret during the overlap', async () => {
    const s = { ...spec('api-call'), consumerSecret: c32('neither') };
    expect(await run(s, 'api-call', {}, rotated(new Date(NOW.getTime() + 60_000)))).toMatchObject({
      ok: false,
      status: 401,
    });
  });
});
