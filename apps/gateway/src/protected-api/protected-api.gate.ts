import { CORRELATION_HEADER, type Logger } from '@integrations/service-kit';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { PublicBaseUrl } from '../activation/public-base-url';
import type { CallAuthorizer } from './call-authorizer';
import type { CallOutcome } from './call-outcome';
import { CheckUnavailableError } from './check-services.client';
import { isFormUrlencoded } from './form-content';
import { sendMagentoError } from './magento-reply';
import { directCallUrl, forwardedCallUrl } from './signature-url';
import type { RequestWithRawBody, UpstreamProxy } from './upstream-proxy';

export interface GateOptions {
  /** Upstream base URLs by name, overriding the acl's (gateway config UPSTREAM_<NAME>_URL). */
  upstreamUrls: Readonly<Record<string, string>>;
  /** GATEWAY_BENCH_AUTH_DISABLED: every /rest call goes to this upstream unchecked. */
  benchUpstreamUrl: string | null;
}

/**
 * The protected commerce API: `ALL /rest/*` (checked, then proxied) and `GET /auth/decision` (the
 * same checks for NGINX auth_request). A denied call never reaches an upstream.
 */
export class ProtectedApiGate {
  constructor(
    private readonly authorizer: CallAuthorizer,
    private readonly proxy: UpstreamProxy,
    private readonly publicBaseUrl: PublicBaseUrl,
    private readonly options: GateOptions,
    private readonly logger: Logger,
  ) {}

  async handleRestCall(req: RequestWithRawBody, res: Response): Promise<void> {
    const correlationId = correlationOf(res);
    const target = req.originalUrl;
    const scheme = this.publicBaseUrl.scheme();
    const forward = { correlationId, clientAddress: req.socket.remoteAddress, host: req.headers.host, scheme };
    if (this.options.benchUpstreamUrl) {
      return this.proxy.forward(req, res, this.options.benchUpstreamUrl, target, { ...forward, integrationId: null });
    }
    const contentType = req.headers['content-type'];
    const outcome = await this.check(res, {
      method: req.method,
      target,
      signedUrl: directCallUrl(scheme, req.headers.host, this.publicHost(), target),
      authorization: req.headers.authorization,
      contentType,
      formBody: req.rawBody && isFormUrlencoded(contentType) ? req.rawBody.toString('utf8') : undefined,
      correlationId,
    });
    if (!outcome) return;
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
      return sendMagentoError(res, 502, { message: 'The API is unavailable right now. Try again later.' });
    }
    return this.proxy.forward(req, res, baseUrl, outcome.upstreamPath, {
      ...forward,
      integrationId: outcome.integrationId,
    });
  }

  /**
   * NGINX auth_request: 200 with X-Integration-Id (empty: anonymous) and X-Upstream-Path, or 401 /
   * 403 with X-Acl-Status (the real status: 400, 401, 403 or 404) and X-Acl-Resources. auth_request
   * knows only 2xx, 401 and 403 (anything else is a 500 for the client), so a 404 travels as 403 and
   * a 400 as 401; docs/nginx/nginx.conf turns them back into Magento's answers. No body.
   */
  async handleDecision(req: RequestWithRawBody, res: Response): Promise<void> {
    const method = single(req.headers['x-original-method']);
    const target = single(req.headers['x-original-uri']);
    if (!method || !/^[A-Za-z]{1,16}$/.test(method) || !target?.startsWith('/')) {
      // A proxy misconfiguration: NGINX answers its client 500, failing closed.
      this.logger.warn(
        { method, hasUri: Boolean(target) },
        'auth decision asked without X-Original-Method / X-Original-URI',
      );
      res.status(400).end();
      return;
    }
    if (this.options.benchUpstreamUrl) {
      res.status(200).setHeader('X-Integration-Id', '').setHeader('X-Upstream-Path', target).end();
      return;
    }
    const fallback = { scheme: this.publicBaseUrl.scheme(), host: this.publicHost() };
    const signedUrl = forwardedCallUrl(
      {
        proto: single(req.headers['x-forwarded-proto']),
        host: single(req.headers['x-forwarded-host']),
        port: single(req.headers['x-forwarded-port']),
      },
      fallback,
      target,
    );
    const outcome = await this.check(
      res,
      // auth_request passes no body: signed form parameters cannot be checked this way (see docs).
      {
        method: method.toUpperCase(),
        target,
        signedUrl,
        authorization: req.headers.authorization,
        contentType: undefined,
        formBody: undefined,
        correlationId: correlationOf(res),
      },
      true,
    );
    if (!outcome) return;
    if (outcome.kind === 'allow') {
      res
        .status(200)
        .setHeader('X-Integration-Id', outcome.integrationId ?? '')
        .setHeader('X-Upstream-Path', outcome.upstreamPath)
        .end();
      return;
    }
    res
      .status(outcome.status === 403 || outcome.status === 404 ? 403 : 401)
      .setHeader('X-Acl-Status', String(outcome.status))
      .setHeader('X-Acl-Resources', outcome.resources.join(', '))
      .end();
  }

  /** The checks, or an answer already sent (null) when a check service failed: never proxied then. */
  private async check(
    res: Response,
    call: Parameters<CallAuthorizer['authorize']>[0],
    bare = false,
  ): Promise<CallOutcome | null> {
    try {
      return await this.authorizer.authorize(call);
    } catch (error) {
      if (!(error instanceof CheckUnavailableError)) throw error;
      const status = error.clientFault ? 400 : 503;
      if (!error.clientFault)
        this.logger.warn(
          { service: error.service, reason: error.reason, correlationId: call.correlationId },
          'API call refused: a check failed',
        );
      if (bare) {
        // 500 for NGINX: fail closed.
        res
          .status(error.clientFault ? 403 : 500)
          .setHeader('X-Acl-Status', String(status))
          .end();
      } else {
        sendMagentoError(res, status, {
          message: error.clientFault
            ? 'The request cannot be checked as sent.'
            : 'The API is unavailable right now. Try again later.',
        });
      }
      return null;
    }
  }

  private publicHost(): string {
    return new URL(this.publicBaseUrl.get()).host;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function correlationOf(res: Response): string {
  const value = res.getHeader(CORRELATION_HEADER);
  return typeof value === 'string' ? value : randomUUID();
}
