import {
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleDestroy,
  type OnModuleInit,
  RequestMethod,
} from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import type { Connection } from 'mongoose';
import type { GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV, GATEWAY_DB, GATEWAY_LOGGER } from '../gateway.tokens';
import { clientAddressResolver } from './client-address';
import { TokenExchangeRateLimitMiddleware } from './rate-limit.middleware';
import { CLIENT_ADDRESS } from './rate-limit.tokens';
import { RateLimits } from './rate-limits';

/**
 * Rate limits shared by the gateway's replicas (docs/adr/0007-rate-limits.md). The sign-in limit is
 * applied by the admin-auth controller (it needs the username), the token endpoints' by the
 * middleware below, anonymous /rest calls' by the raw /rest route (protected-api/rest-calls.ts),
 * which Nest middlewares never see.
 */
@Module({
  providers: [
    {
      provide: RateLimits,
      inject: [GATEWAY_DB, GATEWAY_ENV, GATEWAY_LOGGER],
      useFactory: (db: Connection, env: GatewayEnv, logger: Logger) => new RateLimits(db, env.rateLimits, logger),
    },
    {
      provide: CLIENT_ADDRESS,
      inject: [GATEWAY_ENV],
      useFactory: (env: GatewayEnv) => clientAddressResolver(env.rateLimits.trustedProxies),
    },
    TokenExchangeRateLimitMiddleware,
  ],
  exports: [RateLimits, CLIENT_ADDRESS],
})
export class RateLimitModule implements NestModule, OnModuleInit, OnModuleDestroy {
  constructor(@Inject(RateLimits) private readonly limits: RateLimits) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(TokenExchangeRateLimitMiddleware)
      .forRoutes(
        { path: 'oauth/token/request', method: RequestMethod.ALL },
        { path: 'oauth/token/access', method: RequestMethod.ALL },
      );
  }

  onModuleInit(): Promise<void> {
    return this.limits.start();
  }

  onModuleDestroy(): void {
    this.limits.stop();
  }
}
