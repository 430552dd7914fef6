import { Injectable, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { HealthController, READINESS_CHECKS } from '@integrations/service-kit';
import { VerifyApiCallController } from './api-call/verify-api-call/verify-api-call.controller';
import { VerifyApiCallHandler } from './api-call/verify-api-call/verify-api-call.handler';
import { IssueCredentialsController } from './credentials/issue-credentials/issue-credentials.controller';
import { IssueCredentialsHandler } from './credentials/issue-credentials/issue-credentials.handler';
import { OauthRuntime } from './oauth.runtime';
import { AccessTokenController } from './token-exchange/access-token/access-token.controller';
import { AccessTokenHandler } from './token-exchange/access-token/access-token.handler';
import { RequestTokenController } from './token-exchange/request-token/request-token.controller';
import { RequestTokenHandler } from './token-exchange/request-token/request-token.handler';

/** Nest's shutdown hook (SIGTERM, app.close()) flushes usage, stops consumers and the relay, closes Mongo. */
@Injectable()
class RuntimeShutdown implements OnApplicationShutdown {
  constructor(private readonly runtime: OauthRuntime) {}
  onApplicationShutdown(): Promise<void> {
    return this.runtime.close();
  }
}

/**
 * The oauth service's Nest module around an already started runtime. Handlers are plain injectables
 * called by their controllers (no CommandBus): the verification path is the platform's hottest and
 * gains nothing from a dispatch layer.
 */
export function oauthAppModule(runtime: OauthRuntime): Type<unknown> {
  @Module({
    controllers: [
      HealthController,
      IssueCredentialsController,
      RequestTokenController,
      AccessTokenController,
      VerifyApiCallController,
    ],
    providers: [
      { provide: OauthRuntime, useValue: runtime },
      { provide: READINESS_CHECKS, useValue: runtime.readinessChecks() },
      RuntimeShutdown,
      IssueCredentialsHandler,
      RequestTokenHandler,
      AccessTokenHandler,
      VerifyApiCallHandler,
    ],
  })
  class OauthAppModule {}
  return OauthAppModule;
}
