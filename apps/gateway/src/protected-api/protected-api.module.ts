import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { RawRoute, RawRouter, Logger } from '@integrations/service-kit';
import type { IncomingMessage } from 'node:http';
import { Agent } from 'undici';
import { ActivationModule } from '../activation/activation.module';
import { PublicBaseUrl } from '../activation/public-base-url';
import { bodyLimitBytes, type GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV, GATEWAY_LOGGER } from '../gateway.tokens';
import type { ClientAddressOf } from '../rate-limit/client-address';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { CLIENT_ADDRESS } from '../rate-limit/rate-limit.tokens';
import { RateLimits } from '../rate-limit/rate-limits';
import { CallUsage } from '../usage/call-usage';
import { UsageModule } from '../usage/usage.module';
import { AuthDecision } from './auth-decision';
import { CallAuthorizer } from './call-authorizer';
import { BatchedCheckServices } from './check-services.client';
import { KnownIntegrations } from './known-integrations';
import { RestCalls } from './rest-calls';
import { UpstreamProxy } from './upstream-proxy';

/**
 * The hot path's raw routes (ADR 0006 §5): `ALL /rest/*` and `GET /auth/decision`, served by a plain
 * node:http listener before Nest/express (service-kit `rawRoutes`); everything else stays in Nest.
 */
export class ProtectedApiRoutes {
  readonly rest: RawRoute;
  readonly decision: RawRoute;

  constructor(rest: RestCalls, decision: AuthDecision) {
    this.rest = { name: '/rest/*', handle: (req, res, correlationId) => rest.handle(req, res, correlationId) };
    this.decision = {
      name: '/auth/decision',
      handle: (req, res, correlationId) => decision.handle(req, res, correlationId),
    };
  }

  readonly router: RawRouter = (req: IncomingMessage) => {
    const url = req.url ?? '';
    if (url.startsWith('/rest/') || url === '/rest' || url.startsWith('/rest?')) return this.rest;
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      (url === '/auth/decision' || url.startsWith('/auth/decision?'))
    )
      return this.decision;
    return undefined;
  };
}

const HOT_PATH_AGENT = Symbol('HOT_PATH_AGENT');

/**
 * One keep-alive undici Agent carries the hot path's calls (oauth verify, acl decide, upstreams),
 * so a checked call costs round trips, not TCP handshakes.
 */
@Module({
  imports: [ActivationModule, RateLimitModule, UsageModule],
  providers: [
    // Node's default keep-alive (4 s, trimmed by the server's Keep-Alive hint) suits internal services.
    { provide: HOT_PATH_AGENT, useFactory: () => new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 }) },
    {
      provide: ProtectedApiRoutes,
      inject: [GATEWAY_ENV, GATEWAY_LOGGER, HOT_PATH_AGENT, PublicBaseUrl, RateLimits, CLIENT_ADDRESS, CallUsage],
      useFactory: (
        config: GatewayEnv,
        logger: Logger,
        agent: Agent,
        publicBaseUrl: PublicBaseUrl,
        limits: RateLimits,
        clientAddress: ClientAddressOf,
        usage: CallUsage,
      ) => {
        const benchUpstreamUrl = config.benchAuthDisabled ? benchUpstream(config, process.env.NODE_ENV) : null;
        const authorizer = new CallAuthorizer(
          new BatchedCheckServices(config.oauthUrl, config.aclUrl, agent, logger),
          new KnownIntegrations(),
          usage,
        );
        const rest = new RestCalls(
          authorizer,
          new UpstreamProxy(agent, logger),
          publicBaseUrl,
          (req) => limits.consumeAnonymousRestCall(clientAddress(req)),
          {
            upstreamUrls: config.upstreamUrls,
            benchUpstreamUrl,
            bodyLimit: config.bodyLimit,
            bodyLimitBytes: bodyLimitBytes(config.bodyLimit),
          },
          logger,
        );
        const decision = new AuthDecision(
          authorizer,
          publicBaseUrl,
          { secret: config.authDecisionSecret, benchmark: benchUpstreamUrl !== null },
          logger,
        );
        return new ProtectedApiRoutes(rest, decision);
      },
    },
  ],
  exports: [ProtectedApiRoutes],
})
export class ProtectedApiModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(GATEWAY_ENV) private readonly config: GatewayEnv,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
    @Inject(HOT_PATH_AGENT) private readonly agent: Agent,
  ) {}

  onModuleInit(): void {
    if (!this.config.benchAuthDisabled) return;
    this.logger.warn(
      { upstream: this.config.upstreamUrls.commerce },
      '!!! GATEWAY_BENCH_AUTH_DISABLED=true: /rest/* is proxied WITHOUT signature or ACL checks. Benchmarks only; never expose this gateway. !!!',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

/** The benchmark switch opens the API to anyone: refuse it in production, whatever way it was set. */
export function benchUpstream(config: Pick<GatewayEnv, 'upstreamUrls'>, nodeEnv: string | undefined): string {
  if (nodeEnv === 'production') {
    throw new Error(
      'GATEWAY_BENCH_AUTH_DISABLED=true is refused when NODE_ENV=production: it switches off every API check.',
    );
  }
  const url = config.upstreamUrls.commerce;
  if (!url)
    throw new Error(
      'GATEWAY_BENCH_AUTH_DISABLED=true needs UPSTREAM_COMMERCE_URL: with the checks off there is no acl answer to name the upstream.',
    );
  return url;
}
