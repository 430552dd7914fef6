import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';
import { ActivationModule } from '../activation/activation.module';
import type { GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV } from '../gateway.tokens';
import { OauthTokenController } from './oauth-token.controller';
import { TokenExchangeClient } from './token-exchange.client';

const TOKEN_EXCHANGE_AGENT = Symbol('TOKEN_EXCHANGE_AGENT');

/**
 * The partner's side of the handshake: `/oauth/token/request` and `/oauth/token/access`, relayed to
 * the oauth service. Its own keep-alive Agent, so a burst of exchanges does not queue behind the
 * protected path's calls (and the reverse).
 */
@Module({
  // For PublicBaseUrl (the scheme and host a partner signs when its Host header is unusable).
  imports: [ActivationModule],
  controllers: [OauthTokenController],
  providers: [
    {
      provide: TOKEN_EXCHANGE_AGENT,
      useFactory: () => new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 }),
    },
    {
      provide: TokenExchangeClient,
      inject: [GATEWAY_ENV, TOKEN_EXCHANGE_AGENT],
      useFactory: (config: GatewayEnv, agent: Agent) => new TokenExchangeClient(config.oauthUrl, agent),
    },
  ],
})
export class OauthTokenModule implements OnApplicationShutdown {
  constructor(@Inject(TOKEN_EXCHANGE_AGENT) private readonly agent: Agent) {}

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}
