import { problems, verifyRequest } from '@integrations/oauth1';
import { Injectable } from '@nestjs/common';
import type { Consumer } from '../../consumer/consumer.store';
import { OauthRuntime } from '../../oauth.runtime';
import { isTokenRevoked, type Token } from '../../token/token.store';
import { toOAuthHttpRequest, type SignedRequest } from '../../verification/signed-request';
import { isRejection } from '../../verification/token-reply';
import { signatureOptions } from '../../verification/verify-options';
import { integrationInactive, refuse, type ApiCallVerdict } from './api-call-verdict';
import { cachedConsumerOfIntegration, cachedLookups, cachedStatus } from './cached-lookups';

const BEARER = /^bearer(?:\s+(.*))?$/i;

/**
 * A protected API call, before the ACL decides: RFC 5849 verification (Magento's OauthUserContext),
 * then the integration must be active. `Authorization: Bearer <access token>` is Magento 2.4.4+'s
 * TokenUserContext, accepted only when `oauth/consumer/enable_integration_as_bearer` is on and, unlike
 * Magento, only for an active integration. Accepted calls are counted for "last used".
 */
@Injectable()
export class VerifyApiCallHandler {
  constructor(private readonly runtime: OauthRuntime) {}

  async execute(signed: SignedRequest): Promise<ApiCallVerdict> {
    const bearer = signed.authorization ? BEARER.exec(signed.authorization.trim()) : null;
    if (bearer) return this.verifyBearer(bearer[1]);

    const request = toOAuthHttpRequest(signed);
    if (isRejection(request)) return refuse(request.status, request.code, request.problem);
    const now = Date.now();
    const result = await verifyRequest<Consumer, Token>(request, cachedLookups(this.runtime, now), {
      mode: 'api-call',
      ...signatureOptions(this.runtime.settings, new Date(now)),
    });
    if (!result.ok) return refuse(result.status, result.code, result.problem);
    return this.accept(result.consumer, 'oauth', now);
  }

  private async verifyBearer(value: string | undefined): Promise<ApiCallVerdict> {
    if (!this.runtime.settings.get('oauth/consumer/enable_integration_as_bearer')) {
      return refuse(
        401,
        'OAUTH.BEARER_DISABLED',
        'Integration access tokens are not accepted as Bearer tokens here; sign the request with OAuth 1.0a.',
      );
    }
    // Magento: exactly `Bearer <token>`, one token, no further parameters.
    const value32 = value?.trim() ?? '';
    if (!/^[0-9a-z]{32}$/.test(value32))
      return refuse(401, 'OAUTH.BEARER_MALFORMED', 'The Bearer token is not an access token.');
    const now = Date.now();
    const token = await this.runtime.cache.tokens.getOrLoad(value32, () => this.runtime.tokens.find(value32));
    if (!token || token.type !== 'access') {
      const unknown = problems.tokenUnknown();
      return refuse(unknown.status, unknown.code, unknown.problem);
    }
    if (isTokenRevoked(token, now)) {
      const revoked = problems.tokenRevoked();
      return refuse(revoked.status, revoked.code, revoked.problem);
    }
    const consumer = await cachedConsumerOfIntegration(this.runtime, token.integrationId);
    if (!consumer || consumer.id !== token.consumerId) {
      const unknown = problems.tokenUnknown();
      return refuse(unknown.status, unknown.code, unknown.problem);
    }
    return this.accept(consumer, 'bearer', now);
  }

  private async accept(consumer: Consumer, scheme: 'oauth' | 'bearer', now: number): Promise<ApiCallVerdict> {
    if ((await cachedStatus(this.runtime, consumer.integrationId)) !== 'active') return integrationInactive();
    this.runtime.usage.record(consumer.integrationId, now);
    return { ok: true, integrationId: consumer.integrationId, consumerKey: consumer.key, scheme };
  }
}
