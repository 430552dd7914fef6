import { AccessTokenGranted, parseCloudEvent, type ParsedCloudEvent } from '@integrations/contracts';
import type { MessageBus, Subscription } from '@integrations/messaging';
import type { Logger } from '@integrations/service-kit';
import type { CompletionOutcome, Grant } from './complete-activation.command';

export interface AccessTokenGrantedConsumerOptions {
  bus: MessageBus;
  /** The (prefixed) `integrations.oauth.v1` topic. */
  topic: string;
  groupId: string;
  /** Runs CompleteActivation (through the command bus). */
  complete: (grant: Grant) => Promise<CompletionOutcome>;
  logger: Logger;
  /**
   * How long after it was granted an access token may still find its exchange not started here.
   * The gateway records the activation in the registry only after the oauth service has POSTed the
   * credentials, and a partner may complete the whole exchange from inside its callback (Magento's
   * docs suggest it): its AccessTokenGranted can then arrive a moment before IntegrationActivationStarted.
   */
  graceMs: number;
  /** How often the integration is re-read while waiting. */
  pollMs?: number;
}

/** Thrown to have the message retried (with backoff and a heartbeat) while the grace period runs. */
class ExchangeNotStartedYet extends Error {
  override readonly name = 'ExchangeNotStartedYet';
}

// One wait inside the handler stays far below the consumer's session timeout (10 s): the messaging
// layer only heartbeats between attempts.
const MAX_WAIT_PER_ATTEMPT_MS = 2_000;

/**
 * Completes exchange-mode activations: on `AccessTokenGranted` (integrations.oauth.v1) it runs
 * CompleteActivation -> IntegrationActivated / IntegrationReauthorized. Its own consumer group, apart
 * from the grid projection's, so that waiting out a grace period never holds back the admin grid.
 */
export async function subscribeAccessTokenGranted(options: AccessTokenGrantedConsumerOptions): Promise<Subscription> {
  const { bus, complete, logger, graceMs } = options;
  const pollMs = options.pollMs ?? 100;
  return bus.subscribe<ParsedCloudEvent>({
    groupId: options.groupId,
    topics: [options.topic],
    fromBeginning: true,
    // Enough attempts for the grace period to decide, not the attempt count; a real failure
    // (database down) still ends in the dead-letter topic.
    maxAttempts: 20,
    parse: (message) => parseCloudEvent(message.value ?? ''),
    handle: async (parsed) => {
      // Usage reports, revocations and event types added later are not ours.
      if (parsed.kind !== 'known' || parsed.event.type !== AccessTokenGranted.type) return;
      const { id: eventId, correlationid, time } = parsed.event;
      const { integrationId } = parsed.event.data;
      const grant = { integrationId, eventId, correlationId: correlationid ?? eventId };
      const deadline = Date.parse(time) + graceMs;
      const attemptUntil = Math.min(deadline, Date.now() + MAX_WAIT_PER_ATTEMPT_MS);

      for (;;) {
        const outcome = await complete(grant);
        switch (outcome.kind) {
          case 'completed':
            logger.info(
              { integrationId, event: outcome.type, version: outcome.version, causationId: eventId },
              'token exchange completed the activation',
            );
            return;
          case 'duplicate':
            logger.debug({ integrationId, causationId: eventId }, 'AccessTokenGranted already applied (redelivery)');
            return;
          case 'gone':
            logger.info(
              { integrationId, causationId: eventId },
              'AccessTokenGranted ignored: the integration does not exist or was deleted',
            );
            return;
          case 'not-pending':
            if (Date.now() >= deadline) {
              logger.warn(
                { integrationId, causationId: eventId },
                'AccessTokenGranted ignored: the integration is not waiting for a token exchange',
              );
              return;
            }
            if (Date.now() + pollMs > attemptUntil)
              throw new ExchangeNotStartedYet(`integration ${integrationId} has no exchange pending yet`);
            await new Promise((resolve) => setTimeout(resolve, pollMs));
            break;
          default: {
            const _exhaustive: never = outcome;
            throw new Error(`unknown outcome ${JSON.stringify(_exhaustive)}`);
          }
        }
      }
    },
  });
}
