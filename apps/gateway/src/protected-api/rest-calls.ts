import type { Logger } from '@integrations/service-kit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendRestRateLimited } from '../rate-limit/rate-limit.replies';
import type { LimitVerdict } from '../rate-limit/shared-limit';
import type { CallAuthorizer, CallToAuthorize } from './call-authorizer';
import type { CallOutcome } from './call-outcome';
import { CheckUnavailableError } from './check-services.client';
import { isFormUrlencoded } from './form-content';
import { sendMagentoError, UNAVAILABLE } from './magento-reply';
import { decodeContent, isReadMediaType, readRequestBody } from './request-body';
import { encodedSeparatorOutsideParameter, normalizeRestTarget } from './rest-path';
import { directCallUrl, safeHost } from './signature-url';
import type { UpstreamProxy } from './upstream-proxy';

export interface ProtectedApiOptions {
  /** Upstream base URLs by name, overriding the acl's (UPSTREAM_<NAME>_URL of the gateway). */
  upstreamUrls: Readonly<Record<string, string>>;
  /** GATEWAY_BENCH_AUTH_DISABLED: every /rest call goes to this upstream unchecked. */
  benchUpstreamUrl: string | null;
  /** BODY_LIMIT, as configured (for messages) and in bytes. */
  bodyLimit: string;
  bodyLimitBytes: number;
}

/**
 * The per-address limit on calls without credentials (ADR 0007 §2): `RateLimits`, keyed by the
 * client address behind the trusted proxies. Decides from memory, so it costs the hot path no wait.
 */
export type AnonymousCallLimit = (req: IncomingMessage) => Promise<LimitVerdict>;

/** What the gateway knows of itself: the public origin's scheme and host (activation/public-base-url.ts). */
export interface PublicOrigin {
  scheme(): 'http' | 'https';
  host(): string;
}

/**
 * `ALL /rest/*`: count a call without credentials against its address's limit, read the body
 * (within BODY_LIMIT), normalise the path, check (oauth + acl), then proxy to the upstream the acl
 * names, or answer Magento's refusal. A refused call never reaches an upstream; an allowed one goes
 * up with the normalised path and the very bytes that were checked.
 */
export class RestCalls {
  constructor(
    private readonly authorizer: CallAuthorizer,
    private readonly proxy: UpstreamProxy,
    private readonly origin: PublicOrigin,
    private readonly anonymousLimit: AnonymousCallLimit,
    private readonly options: ProtectedApiOptions,
    private readonly logger: Logger,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, correlationId: string): Promise<void> {
    // First, before any work: a flood without credentials must not make the gateway read bodies or
    // ask the check services. Calls with credentials pay with a signature the caller must get right.
    if (req.headers.authorization === undefined) {
      const verdict = await this.anonymousLimit(req);
      if (!verdict.allowed) {
        // The body stays unread: a connection that still carries one cannot serve another request.
        if (announcesBody(req)) res.setHeader('connection', 'close');
        return sendRestRateLimited(res, verdict.retryAfterSeconds);
      }
    }
    const target = req.url ?? '/';
    const normal = normalizeRestTarget(target);
    if (!normal.ok) return sendMagentoError(res, 400, { message: normal.message });

    const read = await readRequestBody(req, this.options.bodyLimitBytes);
    if (read.kind === 'aborted') {
      res.destroy(); // the client left mid-body: nobody to answer
      return;
    }
    if (read.kind === 'too-large') {
      // The rest of the body is not read: the connection cannot carry another request.
      return sendMagentoError(
        res,
        413,
        { message: `The request body is larger than ${this.options.bodyLimit}.` },
        { connection: 'close' },
      );
    }
    let body = read.kind === 'read' ? read.bytes : undefined;
    const contentType = req.headers['content-type'];
    const encoding = req.headers['content-encoding'];
    const decoded = body !== undefined && encoding !== undefined && isReadMediaType(contentType);
    if (decoded) {
      const result = await decodeContent(body!, encoding, this.options.bodyLimitBytes);
      if (!result.ok) return sendMagentoError(res, result.status, { message: result.message });
      body = result.bytes;
    }

    const scheme = this.origin.scheme();
    const host = safeHost(req.headers.host, this.origin.host());
    const forward = (integrationId: string | null) => ({
      integrationId,
      correlationId,
      clientAddress: req.socket.remoteAddress,
      host,
      scheme,
      bodyLength: body?.length,
      decoded,
    });
    if (this.options.benchUpstreamUrl) {
      return this.proxy.forward(req, res, this.options.benchUpstreamUrl, normal.target, body, forward(null));
    }

    const outcome = await this.check(res, {
      method: req.method ?? 'GET',
      target,
      normalTarget: normal.target,
      signedUrl: directCallUrl(scheme, req.headers.host, this.origin.host(), target),
      authorization: req.headers.authorization,
      contentType,
      formBody: body !== undefined && isFormUrlencoded(contentType) ? body.toString('utf8') : undefined,
      correlationId,
    });
    if (!outcome) return;
    if (refusesEncodedSeparator(outcome, normal.path)) {
      return sendMagentoError(res, 400, {
        message: 'An encoded "/" is only allowed inside a path parameter (such as a SKU).',
      });
    }
    if (outcome.kind === 'deny') {
      this.logger.debug(
        { method: req.method, status: outcome.status, reason: outcome.reason, correlationId },
        'API call denied',
      );
      return sendMagentoError(res, outcome.status, outcome.body);
    }
    const baseUrl = this.options.upstreamUrls[outcome.upstream] ?? outcome.upstreamUrl;
    if (!baseUrl) {
      this.logger.error(
        { upstream: outcome.upstream },
        `no URL for upstream "${outcome.upstream}": set UPSTREAM_${outcome.upstream.toUpperCase()}_URL`,
      );
      return sendMagentoError(res, 502, UNAVAILABLE);
    }
    return this.proxy.forward(req, res, baseUrl, outcome.upstreamPath, body, forward(outcome.integrationId));
  }

  /** The checks, or an answer already sent (null) when a check service failed: never proxied then. */
  private async check(res: ServerResponse, call: CallToAuthorize): Promise<CallOutcome | null> {
    const outcome = await authorizeOrUnavailable(this.authorizer, call, this.logger);
    if (!(outcome instanceof CheckUnavailableError)) return outcome;
    sendMagentoError(
      res,
      outcome.clientFault ? 400 : 503,
      outcome.clientFault ? { message: 'The request cannot be checked as sent.' } : UNAVAILABLE,
    );
    return null;
  }
}

function announcesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The outcome, or the CheckUnavailableError that prevented one (logged here, once). */
export async function authorizeOrUnavailable(
  authorizer: CallAuthorizer,
  call: CallToAuthorize,
  logger: Logger,
): Promise<CallOutcome | CheckUnavailableError> {
  try {
    return await authorizer.authorize(call);
  } catch (error) {
    if (!(error instanceof CheckUnavailableError)) throw error;
    if (!error.clientFault)
      logger.warn(
        { service: error.service, reason: error.reason, correlationId: call.correlationId },
        'API call refused: a check failed',
      );
    return error;
  }
}

/**
 * An encoded `/` outside the matched route's parameters (rest-path.ts), on a call that would
 * otherwise be proxied or answered "no route": refused as malformed (400).
 */
export function refusesEncodedSeparator(outcome: CallOutcome, normalPath: string): boolean {
  if (outcome.kind === 'allow') return encodedSeparatorOutsideParameter(normalPath, outcome.routeId);
  return outcome.status === 404 && encodedSeparatorOutsideParameter(normalPath, null);
}
