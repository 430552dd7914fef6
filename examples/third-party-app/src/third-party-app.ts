import type { IncomingMessage, ServerResponse } from 'node:http';
import { homePage, loginPage, messagePage } from './pages';
import type { PartnerState } from './partner-state';
import { StoreClient, StoreRefusedError } from './store-client';
import { NotificationVerifier, SIGNATURE_HEADER } from './store-notifications';

/** One JSON log line; the app never passes a secret here. */
export type PartnerLog = (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;

export interface PartnerAppOptions {
  state: PartnerState;
  log: PartnerLog;
  /**
   * Where to reach the store instead of the `store_base_url` it sent (a container network, say).
   * The signed URL is the one called, so the store must accept that host.
   */
  storeBaseUrl?: string;
}

const MAX_BODY = 16 * 1024;
const CALLBACK_FIELDS = ['oauth_consumer_key', 'oauth_consumer_secret', 'store_base_url', 'oauth_verifier'] as const;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The partner side of Magento's token exchange (reference §3.3, D-CREATE):
 * - `POST /callback`: the store POSTs `oauth_consumer_key, oauth_consumer_secret, store_base_url,
 *   oauth_verifier` on activation; we keep them and answer 200. JSON there is a signed notification
 *   of an access change (store-notifications.ts), verified before it is believed.
 * - `GET /login?oauth_consumer_key=&success_call_back=`: the identity-link page; its button runs the
 *   request-token then access-token exchange against the store and sends the browser back to
 *   `success_call_back`.
 * - `GET /status`: which links hold an access token (no secrets). `POST /call?path=/rest/V1/...`: a
 *   signed call through the store, answered as `{status, body}`.
 */
export function createPartnerApp(options: PartnerAppOptions) {
  const { state, log } = options;
  const notifications = new NotificationVerifier({ secretOf: (key) => state.link(key)?.consumerSecret });

  /** `POST /callback`: the credentials (form) or, as JSON, a signed notification of an access change. */
  async function callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return receiveNotification(req, res);
    return receiveCredentials(req, res);
  }

  async function receiveNotification(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const check = notifications.check(await readBytes(req), req.headers[SIGNATURE_HEADER]);
    if (!check.ok) {
      log('warn', 'store notification refused', { reason: check.reason });
      return send(res, check.status, 'text/plain; charset=utf-8', check.reason);
    }
    const { notification, duplicate } = check;
    if (!duplicate) {
      state.notified(notification);
      notifications.processed(notification.id);
    }
    log('info', 'store notification received', {
      id: notification.id,
      type: notification.type,
      consumerKey: notification.integration.consumerKey,
      attempt: notification.attempt,
      duplicate,
    });
    send(res, 200, 'text/plain; charset=utf-8', 'ok');
  }

  async function receiveCredentials(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const missing = CALLBACK_FIELDS.filter((name) => !form.get(name));
    if (missing.length > 0) throw new HttpError(400, `missing ${missing.join(', ')}`);
    const storeBaseUrl = form.get('store_base_url')!;
    if (!isHttpUrl(storeBaseUrl)) throw new HttpError(400, 'store_base_url must be an http(s) URL');
    state.receive({
      consumerKey: form.get('oauth_consumer_key')!,
      consumerSecret: form.get('oauth_consumer_secret')!,
      storeBaseUrl,
      verifier: form.get('oauth_verifier')!,
    });
    log('info', 'store credentials received', { consumerKey: form.get('oauth_consumer_key'), storeBaseUrl });
    send(res, 200, 'text/plain; charset=utf-8', 'ok');
  }

  function showLogin(url: URL, res: ServerResponse): void {
    const consumerKey = url.searchParams.get('oauth_consumer_key') ?? '';
    const successCallback = url.searchParams.get('success_call_back') ?? '';
    const link = state.link(consumerKey);
    if (!link)
      throw new HttpError(
        404,
        'No credentials were received for this consumer key. Activate the integration in the store first.',
      );
    checkSuccessCallback(successCallback, link.storeBaseUrl);
    send(
      res,
      200,
      'text/html; charset=utf-8',
      loginPage(consumerKey, successCallback, link.storeBaseUrl, state.issueFormToken(consumerKey)),
    );
  }

  async function completeLink(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const consumerKey = form.get('oauth_consumer_key') ?? '';
    const successCallback = form.get('success_call_back') ?? '';
    if (!state.redeemFormToken(form.get('form_token') ?? '', consumerKey)) {
      throw new HttpError(403, 'This form has expired or was not issued by us. Open the identity link again.');
    }
    const link = state.link(consumerKey);
    if (!link) throw new HttpError(404, 'No credentials were received for this consumer key.');
    checkSuccessCallback(successCallback, link.storeBaseUrl);
    const store = new StoreClient(options.storeBaseUrl ?? link.storeBaseUrl, {
      key: link.consumerKey,
      secret: link.consumerSecret,
    });
    try {
      const requestToken = await store.requestToken();
      const accessToken = await store.accessToken(requestToken, link.verifier);
      state.linked(consumerKey, accessToken);
    } catch (error) {
      if (!(error instanceof StoreRefusedError)) throw error;
      log('warn', 'token exchange refused by the store', {
        consumerKey,
        step: error.step,
        status: error.status,
        problem: error.problem,
      });
      throw new HttpError(
        502,
        `The store refused the ${error.step} (${error.status || 'unreachable'}${error.problem ? `: ${error.problem}` : ''}).`,
      );
    }
    log('info', 'store account linked', { consumerKey });
    res.writeHead(303, { location: successCallback, 'cache-control': 'no-store' }).end();
  }

  async function signedCall(url: URL, res: ServerResponse): Promise<void> {
    const path = url.searchParams.get('path') ?? '/rest/V1/products';
    if (!/^\/rest\//.test(path)) throw new HttpError(400, 'path must start with /rest/');
    const method = (url.searchParams.get('method') ?? 'GET').toUpperCase();
    const wanted = url.searchParams.get('consumer_key');
    const link = wanted ? state.link(wanted) : state.latestLinked();
    if (!link?.accessToken) throw new HttpError(409, 'No linked store yet: complete the identity link first.');
    const store = new StoreClient(options.storeBaseUrl ?? link.storeBaseUrl, {
      key: link.consumerKey,
      secret: link.consumerSecret,
    });
    const reply = await store.call(method, path, link.accessToken).catch((error: Error) => {
      throw new HttpError(502, `The store could not be reached: ${error.message}`);
    });
    let body: unknown = reply.body;
    if (reply.contentType?.includes('json')) body = JSON.parse(reply.body);
    log('info', 'signed call made', { consumerKey: link.consumerKey, method, path, status: reply.status });
    send(res, 200, 'application/json', JSON.stringify({ status: reply.status, body }));
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://partner.invalid');
    const route = `${req.method} ${url.pathname}`;
    try {
      switch (route) {
        case 'POST /callback':
          return await callback(req, res);
        case 'GET /login':
          return showLogin(url, res);
        case 'POST /login':
          return await completeLink(req, res);
        case 'GET /status':
          return send(res, 200, 'application/json', JSON.stringify({ links: state.status() }));
        case 'POST /call':
          return await signedCall(url, res);
        case 'GET /':
          return send(res, 200, 'text/html; charset=utf-8', homePage(state.status()));
        case 'GET /health/live':
        case 'GET /health/ready':
          return send(res, 200, 'application/json', '{"status":"ok"}');
        default:
          throw new HttpError(404, `${route} is not a page of this app.`);
      }
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'Something went wrong.';
      if (status === 500) log('warn', 'request failed', { route, error: (error as Error).name });
      if (res.headersSent) return void res.destroy();
      send(
        res,
        status,
        'text/html; charset=utf-8',
        messagePage(status === 502 ? 'Linking failed' : 'Cannot continue', message),
      );
    }
  };
}

/**
 * `success_call_back` must lead back to the store that sent the credentials: anything else would
 * make this page an open redirect.
 */
function checkSuccessCallback(successCallback: string, storeBaseUrl: string): void {
  if (!isHttpUrl(successCallback) || new URL(successCallback).origin !== new URL(storeBaseUrl).origin) {
    throw new HttpError(400, 'success_call_back must be a URL of the store that sent the credentials.');
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

/** The body as received: a signature covers these exact bytes. */
async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'The body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
