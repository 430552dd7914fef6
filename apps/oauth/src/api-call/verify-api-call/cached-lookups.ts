import type { VerifyLookups } from '@integrations/oauth1';
import type { Consumer } from '../../consumer/consumer.store';
import type { IntegrationStatus } from '../../integration-status/integration-status.projection';
import type { OauthRuntime } from '../../oauth.runtime';
import { isTokenRevoked, type Token } from '../../token/token.store';

/**
 * The hot path's lookups: consumer, token and integration status from the caches, the database on a
 * miss. The one write of a verified call is the nonce claim (one insert). `revoked` is computed per
 * call, so a token's grace period ends on time even while it sits in the cache.
 */
export function cachedLookups(runtime: OauthRuntime, now: number): VerifyLookups<Consumer, Token> {
  const { cache, consumers, tokens, nonces } = runtime;
  return {
    findConsumer: (key) => cache.consumersByKey.getOrLoad(key, () => consumers.findByKey(key)),
    findToken: async (value) => {
      const token = await cache.tokens.getOrLoad(value, () => tokens.find(value));
      return token && { ...token, revoked: isTokenRevoked(token, now) };
    },
    nonceStore: nonces,
  };
}

export async function cachedStatus(
  runtime: OauthRuntime,
  integrationId: string,
): Promise<IntegrationStatus | undefined> {
  return runtime.cache.statuses.getOrLoad(integrationId, () => runtime.statuses.statusOf(integrationId));
}

export async function cachedConsumerOfIntegration(
  runtime: OauthRuntime,
  integrationId: string,
): Promise<Consumer | undefined> {
  return runtime.cache.consumersByIntegration.getOrLoad(integrationId, () =>
    runtime.consumers.findByIntegration(integrationId),
  );
}
