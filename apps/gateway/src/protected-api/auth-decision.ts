import type { Logger } from '@integrations/service-kit';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallAuthorizer } from './call-authorizer';
import { CheckUnavailableError } from './check-services.client';
import { normalizeRestTarget } from './rest-path';
import type { ClientAddressOf } from '../rate-limit/client-address';
import { authorizeOrUnavailable, knownAddress, type PublicOrigin, refusesEncodedSeparator } from './rest-calls';
import { forwardedCallUrl } from './signature-url';

/** The header NGINX sends the shared secret in (docs/nginx-auth-request.md). */
export const AUTH_DECISION_SECRET_HEADER = 'x-auth-decision-secret';

export interface AuthDecisionOptions {
  /** GATEWAY_AUTH_DECISION_SECRET; undefined: the endpoint is off. */
  secret: string | undefined;
  /** GATEWAY_BENCH_AUTH_DISABLED: every call is allowed. */
  benchmark: boolean;
}

/**
 * `GET /auth/decision` for NGINX auth_request: the `/rest` checks for a call NGINX holds, answered
 * in headers. 200 with X-Integration-Id (empty: anonymous) and X-Upstream-Path, or 401 / 403 with
 * X-Acl-Status (the real status: 400, 401, 403 or 404) and X-Acl-Resources. auth_request knows only
 * 2xx, 401 and 403 (anything else is a 500 for the client), so a 404 travels as 403 and a 400 as
 * 401; docs/nginx/nginx.conf turns them back into Magento's answers. No body.
 *
 * It trusts X-Forwarded-* and X-Original-*, so only the NGINX that holds the shared secret may ask
 * (issue 12 item 13): anyone else gets 404, as if the endpoint did not exist.
 */
export class AuthDecision {
  private readonly secretDigest: Buffer | undefined;
  private readonly benchmark: boolean;

  constructor(
    private readonly authorizer: CallAuthorizer,
    private readonly origin: PublicOrigin,
    options: AuthDecisionOptions,
    private readonly logger: Logger,
    /** NGINX is the peer: the client is its X-Forwarded-For entry when NGINX is a trusted proxy. */
    private readonly clientAddressOf: ClientAddressOf = () => 'unknown',
  ) {
    this.secretDigest = options.secret === undefined ? undefined : digest(options.secret);
    this.benchmark = options.benchmark;
  }

  async handle(req: IncomingMessage, res: ServerResponse, correlationId: string): Promise<void> {
    if (!this.fromTheProxy(req.headers[AUTH_DECISION_SECRET_HEADER])) {
      res.writeHead(404, { 'content-length': 0 }).end();
      return;
    }
    const method = single(req.headers['x-original-method']);
    const target = single(req.headers['x-original-uri']);
    if (!method || !/^[A-Za-z]{1,16}$/.test(method) || !target?.startsWith('/')) {
      // A proxy misconfiguration: NGINX answers its client 500, failing closed.
      this.logger.warn(
        { method, hasUri: Boolean(target) },
        'auth decision asked without X-Original-Method / X-Original-URI',
      );
      return answer(res, 400);
    }
    // NGINX forwards the raw request target, so only a target already in normal form is decided:
    // what the acl matched is then byte for byte what the upstream gets (rest-path.ts).
    const normal = normalizeRestTarget(target);
    if (!normal.ok || normal.target !== target) return answer(res, 401, { 'x-acl-status': '400' });
    if (this.benchmark) return answer(res, 200, { 'x-integration-id': '', 'x-upstream-path': target });

    const signedUrl = forwardedCallUrl(
      {
        proto: single(req.headers['x-forwarded-proto']),
        host: single(req.headers['x-forwarded-host']),
        port: single(req.headers['x-forwarded-port']),
      },
      { scheme: this.origin.scheme(), host: this.origin.host() },
      target,
    );
    const outcome = await authorizeOrUnavailable(
      this.authorizer,
      // auth_request passes no body: signed form parameters cannot be checked this way (see docs).
      {
        method: method.toUpperCase(),
        target,
        normalTarget: target,
        signedUrl,
        authorization: req.headers.authorization,
        contentType: undefined,
        formBody: undefined,
        correlationId,
        clientAddress: knownAddress(this.clientAddressOf(req)),
      },
      this.logger,
    );
    if (outcome instanceof CheckUnavailableError) {
      // 500 for NGINX: fail closed.
      return answer(res, outcome.clientFault ? 403 : 500, { 'x-acl-status': outcome.clientFault ? '400' : '503' });
    }
    if (refusesEncodedSeparator(outcome, normal.path)) return answer(res, 401, { 'x-acl-status': '400' });
    if (outcome.kind === 'allow') {
      return answer(res, 200, {
        'x-integration-id': outcome.integrationId ?? '',
        'x-upstream-path': outcome.upstreamPath,
      });
    }
    // A 429 travels as 403 (auth_request knows no other), with its Retry-After and X-RateLimit-*.
    return answer(res, outcome.status === 403 || outcome.status === 404 || outcome.status === 429 ? 403 : 401, {
      ...outcome.headers,
      'x-acl-status': String(outcome.status),
      'x-acl-resources': outcome.resources.join(', '),
    });
  }

  private fromTheProxy(given: string | string[] | undefined): boolean {
    if (this.secretDigest === undefined || typeof given !== 'string') return false;
    // Digests have the same length whatever was sent, and compare in constant time.
    return timingSafeEqual(digest(given), this.secretDigest);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function answer(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-length': 0 }).end();
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
