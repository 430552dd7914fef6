import {
  type AclDecision,
  type ApiCallVerdict,
  DecideBatchRequestSchema,
  VerifyBatchRequestSchema,
} from '@integrations/contracts';
import { createLogger } from '@integrations/service-kit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { BatchedCheckServices, CheckUnavailableError } from './check-services.client';

/**
 * The batched client against a real node:http server that implements the batch contract of ADR
 * 0006 §5.
 */
interface Seen {
  path: string;
  body: unknown;
  correlationId: string | undefined;
}

const verdictFor = (url: string): ApiCallVerdict =>
  url.includes('bad')
    ? { ok: false, status: 401, code: 'OAUTH.SIGNATURE_INVALID', problem: 'The signature is invalid.' }
    : {
        ok: true,
        integrationId: `int-for-${new URL(url).pathname.split('/').pop()}`,
        consumerKey: 'k',
        scheme: 'oauth',
      };
const decisionFor = (path: string, integrationId: string | null): AclDecision => ({
  decision: 'allow',
  status: 200,
  reason: integrationId ? 'granted' : 'guest-access',
  routeId: 'GET /V1/products/:sku',
  upstream: 'commerce',
  upstreamUrl: null,
  upstreamPath: path,
  resources: ['Magento_Catalog::products'],
});

let server: Server;
let url: string;
const seen: Seen[] = [];
/** How the server answers: per path, a status and body, or the contract's answer. */
let override: (path: string, body: unknown) => { status: number; body: unknown } | undefined = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text) as unknown;
      const path = req.url ?? '';
      seen.push({ path, body, correlationId: req.headers['x-correlation-id'] as string | undefined });
      const reply = override(path, body) ?? answer(path, body);
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen.length = 0;
  override = () => undefined;
});

function answer(path: string, body: unknown): { status: number; body: unknown } {
  if (path === '/oauth/verify/api-calls') {
    const request = VerifyBatchRequestSchema.parse(body);
    return { status: 200, body: { verdicts: request.calls.map((call) => verdictFor(call.url)) } };
  }
  if (path === '/decisions/batch') {
    const request = DecideBatchRequestSchema.parse(body);
    return {
      status: 200,
      body: { decisions: request.requests.map((item) => decisionFor(item.path, item.integrationId)) },
    };
  }
  return { status: 404, body: { error: { code: 'ROUTE.NOT_FOUND', message: 'no' } } };
}

function client() {
  const agent = new Agent();
  const logger = createLogger('check-client-test', 'silent');
  return { checks: new BatchedCheckServices(url, url, agent, logger), close: () => agent.close() };
}

const signed = (sku: string) => ({
  method: 'GET',
  url: `http://gw/rest/V1/products/${sku}`,
  authorization: 'OAuth oauth_consumer_key="k"',
  contentType: null,
  body: null,
});

describe('BatchedCheckServices against a server of the batch contract', () => {
  it('sends the verifications and the decisions of one turn as one request each, and maps the answers back in order', async () => {
    const { checks, close } = client();
    try {
      const skus = ['a', 'b', 'c', 'bad'];
      const verdicts = await Promise.all(skus.map((sku) => checks.verify(signed(sku), `corr-${sku}`)));
      expect(verdicts.map((verdict) => (verdict.ok ? verdict.integrationId : verdict.code))).toEqual([
        'int-for-a',
        'int-for-b',
        'int-for-c',
        'OAUTH.SIGNATURE_INVALID',
      ]);
      const decisions = await Promise.all(
        skus.map((sku, i) =>
          checks.decide({ method: 'GET', path: `/rest/V1/products/${sku}`, integrationId: i ? `int-${i}` : null }, 'c'),
        ),
      );
      expect(decisions.map((decision) => [decision.upstreamPath, decision.reason])).toEqual([
        ['/rest/V1/products/a', 'guest-access'],
        ['/rest/V1/products/b', 'granted'],
        ['/rest/V1/products/c', 'granted'],
        ['/rest/V1/products/bad', 'granted'],
      ]);
      expect(seen.map((request) => request.path)).toEqual(['/oauth/verify/api-calls', '/decisions/batch']);
      expect((seen[0].body as { calls: unknown[] }).calls).toHaveLength(4);
      // A batch travels under a correlation id of its own (logged with the calls' ids).
      expect(seen[0].correlationId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await close();
    }
  });

  it("keeps a lone call's correlation id", async () => {
    const { checks, close } = client();
    try {
      await checks.verify(signed('a'), 'corr-alone');
      expect(seen).toMatchObject([{ path: '/oauth/verify/api-calls', correlationId: 'corr-alone' }]);
    } finally {
      await close();
    }
  });

  it('fails every call of a batch the service refuses or answers outside the contract, and recovers with the next', async () => {
    const { checks, close } = client();
    try {
      override = (path) => (path === '/oauth/verify/api-calls' ? { status: 500, body: {} } : undefined);
      const failed = await Promise.allSettled(['a', 'b'].map((sku) => checks.verify(signed(sku), 'c')));
      expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(CheckUnavailableError);

      override = (path) =>
        path === '/decisions/batch' ? { status: 200, body: { decisions: [{ decision: 'allow' }] } } : undefined;
      await expect(
        checks.decide({ method: 'GET', path: '/rest/V1/x', integrationId: null }, 'c'),
      ).rejects.toMatchObject({ service: 'acl', reason: 'reply outside the contract', clientFault: false });

      // One verdict too few: nobody gets someone else's verdict.
      override = (path, body) =>
        path === '/oauth/verify/api-calls'
          ? {
              status: 200,
              body: {
                verdicts: (body as { calls: Array<{ url: string }> }).calls.slice(1).map((c) => verdictFor(c.url)),
              },
            }
          : undefined;
      const shifted = await Promise.allSettled(['a', 'b'].map((sku) => checks.verify(signed(sku), 'c')));
      expect(shifted.map((result) => result.status)).toEqual(['rejected', 'rejected']);

      override = () => undefined;
      await expect(checks.verify(signed('a'), 'c')).resolves.toMatchObject({ ok: true, integrationId: 'int-for-a' });
    } finally {
      await close();
    }
  });

  it('refuses a call outside the contract alone, without sending it: the rest of its turn goes through', async () => {
    const { checks, close } = client();
    try {
      const tooLong = { ...signed('a'), url: `http://gw/rest/V1/products/${'x'.repeat(20_000)}` };
      const [refused, passed] = await Promise.allSettled([
        checks.verify(tooLong, 'c'),
        checks.verify(signed('b'), 'c'),
      ]);
      expect(refused).toMatchObject({ status: 'rejected', reason: { clientFault: true } });
      expect(passed).toMatchObject({ status: 'fulfilled', value: { ok: true } });
      expect((seen[0].body as { calls: unknown[] }).calls).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('fails the calls of a batch with 503 when the service has no batch endpoint (404): no single-call fallback', async () => {
    const { checks, close } = client();
    try {
      override = (path) => (path === '/decisions/batch' ? { status: 404, body: {} } : undefined);
      await expect(
        checks.decide({ method: 'GET', path: '/rest/V1/products/a', integrationId: null }, 'c'),
      ).rejects.toMatchObject({ service: 'acl', reason: 'HTTP 404', clientFault: false });
      expect(seen.map((request) => request.path)).toEqual(['/decisions/batch']);
    } finally {
      await close();
    }
  });

  it('fails with the transport error when the service cannot be reached', async () => {
    const agent = new Agent();
    const checks = new BatchedCheckServices(
      'http://127.0.0.1:9',
      'http://127.0.0.1:9',
      agent,
      createLogger('t', 'silent'),
    );
    try {
      await expect(checks.verify(signed('a'), 'c')).rejects.toMatchObject({ service: 'oauth', reason: 'ECONNREFUSED' });
    } finally {
      await agent.close();
    }
  });
});
