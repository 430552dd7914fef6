import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import { Agent } from 'undici';
import { ActivationModule } from '../activation/activation.module';
import { PublicBaseUrl } from '../activation/public-base-url';
import type { GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV, GATEWAY_LOGGER } from '../gateway.tokens';
import { CallAuthorizer } from './call-authorizer';
import { CheckServicesClient } from './check-services.client';
import { AuthDecisionController, ProtectedApiController } from './protected-api.controller';
import { ProtectedApiGate } from './protected-api.gate';
import { UpstreamProxy } from './upstream-proxy';

const HOT_PATH_AGENT = Symbol('HOT_PATH_AGENT');

/**
 * `ALL /rest/*` and `GET /auth/decision`. One keep-alive undici Agent carries the hot path's calls
 * (oauth verify, acl decide, upstreams), so a checked call costs round trips, not TCP handshakes.
 */
@Module({
  imports: [ActivationModule],
  controllers: [ProtectedApiController, AuthDecisionController],
  providers: [
    // Node's default keep-alive (4 s, trimmed by the server's Keep-Alive hint) suits internal services.
    { provide: HOT_PATH_AGENT, useFactory: () => new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 }) },
    {
      provide: ProtectedApiGate,
      inject: [GATEWAY_ENV, GATEWAY_LOGGER, HOT_PATH_AGENT, PublicBaseUrl],
      useFactory: (config: GatewayEnv, logger: Logger, agent: Agent, publicBaseUrl: PublicBaseUrl) => {
        const benchUpstreamUrl = config.benchAuthDisabled ? benchUpstream(config, process.env.NODE_ENV) : null;
        return new ProtectedApiGate(
          new CallAuthorizer(new CheckServicesClient(config.oauthUrl, config.aclUrl, agent)),
          new UpstreamProxy(agent, logger),
          publicBaseUrl,
          { upstreamUrls: config.upstreamUrls, benchUpstreamUrl },
          logger,
        );
      },
    },
  ],
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
