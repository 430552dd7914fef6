import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@integrations/service-kit';
import { postCredentials, type CredentialsPostInput } from './post-credentials';

/** A local partner endpoint (no infrastructure): records requests, answers what `reply` says. */
class Endpoint {
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];
  reply: (url: string) => { status: number; location?: string; delayMs?: number } = () => ({ status: 200 });
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        this.requests.push({ url: request.url ?? '', headers: request.headers, body });
        const { status, location, delayMs } = this.reply(request.url ?? '');
        setTimeout(() => {
          if (location) response.setHeader('location', location);
          response.statusCode = status;
          response.end();
        }, delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const fields = [
  ['oauth_consumer_key', 'k'.repeat(32)],
  ['oauth_consumer_secret', 's'.repeat(32)],
  ['store_base_url', 'https://shop.example.com/'],
  ['oauth_verifier', 'v'.repeat(32)],
] as const;

let endpoint: Endpoint;
beforeEach(async () => {
  endpoint = await new Endpoint().start();
});
afterEach(() => endpoint.close());

const input = (overrides: Partial<CredentialsPostInput> = {}): CredentialsPostInput => ({
  callbackUrl: `http://127.0.0.1:${endpoint.port}/callback?partner=1`,
  fields,
  timeoutMs: 2_000,
  maxRedirects: 0,
  allowList: '127.0.0.1',
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected the POST to fail');
}

describe('postCredentials', () => {
  it('POSTs the form-encoded fields, in order, to the callback path and query', async () => {
    await postCredentials(input());
    expect(endpoint.requests).toHaveLength(1);
    const [request] = endpoint.requests;
    expect(request.url).toBe('/callback?partner=1');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toBe(
      `oauth_consumer_key=${'k'.repeat(32)}&oauth_consumer_secret=${'s'.repeat(32)}&store_base_url=https%3A%2F%2Fshop.example.com%2F&oauth_verifier=${'v'.repeat(32)}`,
    );
  });

  it('connects to the vetted address, keeping the host name in the Host header (no second DNS answer)', async () => {
    // partner.invalid resolves nowhere: only the pinned address can have been used.
    const resolve = async () => [{ address: '127.0.0.1', family: 4 as const }];
    await postCredentials(
      input({ callbackUrl: `http://partner.invalid:${endpoint.port}/cb`, allowList: '127.0.0.1' }),
      resolve,
    );
    expect(endpoint.requests[0].headers.host).toBe(`partner.invalid:${endpoint.port}`);
  });

  it('does not follow a redirect when post_maxredirects is 0', async () => {
    endpoint.reply = (url) => (url === '/moved' ? { status: 200 } : { status: 302, location: '/moved' });
    const error = await failure(postCredentials(input()));
    expect(error.code).toBe('OAUTH.CALLBACK_FAILED');
    expect(error.message).toContain(
      'the callback answered HTTP 302 (a redirect; oauth/consumer/post_maxredirects allows 0)',
    );
    expect(endpoint.requests).toHaveLength(1);
  });

  it('follows allowed redirects by POSTing the form again to the new location', async () => {
    endpoint.reply = (url) => (url === '/moved' ? { status: 204 } : { status: 307, location: '/moved' });
    await postCredentials(input({ maxRedirects: 1 }));
    expect(endpoint.requests.map((request) => request.url)).toEqual(['/callback?partner=1', '/moved']);
    expect(endpoint.requests[1].body).toBe(endpoint.requests[0].body);
  });

  it('never re-sends the secret and verifier to another host (no hop to the metadata address either)', async () => {
    endpoint.reply = () => ({ status: 302, location: 'http://169.254.169.254/latest/meta-data/' });
    const metadata = await failure(postCredentials(input({ maxRedirects: 2 })));
    expect(metadata.code).toBe('OAUTH.CALLBACK_FAILED');
    expect(metadata.message).toContain('redirected to another host (169.254.169.254)');
    // Even a host the allow-list opens and that answers: the secret stays with the callback's host.
    const other = await new Endpoint().start();
    try {
      endpoint.reply = () => ({ status: 307, location: `http://localhost:${other.port}/collect` });
      const error = await failure(postCredentials(input({ maxRedirects: 2 })));
      expect(error.message).toContain('redirected to another host (localhost)');
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('checks the address of a same-host redirect again (the name may now resolve elsewhere)', async () => {
    let answers = 0;
    const resolve = async () => [{ address: answers++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 as const }];
    endpoint.reply = () => ({ status: 307, location: '/moved' });
    const error = await failure(
      postCredentials(input({ callbackUrl: `http://partner.invalid:${endpoint.port}/cb`, maxRedirects: 2 }), resolve),
    );
    expect(error.code).toBe('OAUTH.CALLBACK_ADDRESS_REFUSED');
    expect(endpoint.requests).toHaveLength(1);
  });

  it('times out after post_timeout, and never quotes the body in the message', async () => {
    endpoint.reply = () => ({ status: 200, delayMs: 1_000 });
    const error = await failure(postCredentials(input({ timeoutMs: 200 })));
    expect(error.message).toContain('no answer within 0.2 s (oauth/consumer/post_timeout)');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('s'.repeat(32));
  });

  it('refuses a URL that is not http(s)', async () => {
    const error = await failure(postCredentials(input({ callbackUrl: 'ftp://partner.example.com/cb' })));
    expect(error).toMatchObject({ code: 'OAUTH.CALLBACK_URL_INVALID', status: 400 });
  });
});
