import { ConcurrencyConflictError, type EventStore } from '@integrations/event-store';
import { decide, fold } from '../integration.decider';
import { type CommandMeta, type IntegrationRepository, toRecord } from '../integration.repository';

/** What became of one AccessTokenGranted. */
export type CompletionOutcome =
  | { kind: 'completed'; type: string; version: number }
  /** This very message completed the activation before (a redelivery): nothing to do. */
  | { kind: 'duplicate' }
  /** No such integration, or it was deleted since. */
  | { kind: 'gone' }
  /** The integration is not waiting for a token exchange (yet, or any more). */
  | { kind: 'not-pending' };

export interface Grant {
  integrationId: string;
  /** The CloudEvent id of the AccessTokenGranted: recorded as the causation of the completion. */
  eventId: string;
  correlationId: string;
}

const MAX_CONFLICT_RETRIES = 3;

/**
 * CompleteActivation for one AccessTokenGranted of the oauth service. Idempotent: the completion
 * event records the grant as its causation, so a redelivered grant is recognised (not applied twice,
 * not an error); a grant for an integration that waits for no exchange changes nothing.
 */
export class CompleteActivation {
  constructor(
    private readonly store: EventStore,
    private readonly repository: IntegrationRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async attempt(grant: Grant): Promise<CompletionOutcome> {
    for (let attempt = 1; ; attempt++) {
      const stream = await this.store.readStream(grant.integrationId);
      if (stream.some((event) => event.metadata.causationId === grant.eventId)) return { kind: 'duplicate' };
      const state = fold(stream.map(toRecord));
      if (state.kind !== 'Existing') return { kind: 'gone' };
      if (!state.pendingExchange) return { kind: 'not-pending' };

      // The third party, not an admin, completed the exchange: it is the actor (as the oauth event says).
      const meta: CommandMeta = {
        now: this.clock(),
        actor: grant.integrationId,
        correlationId: grant.correlationId,
        causationId: grant.eventId,
      };
      const events = decide(
        { type: 'CompleteActivation', integrationId: grant.integrationId, now: meta.now, actor: meta.actor },
        state,
      );
      try {
        const stored = await this.repository.append(grant.integrationId, stream.at(-1)!.version, events, meta);
        return { kind: 'completed', type: stored.at(-1)!.type, version: stored.at(-1)!.version };
      } catch (error) {
        // An admin command landed in between: decide again on the new state.
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }
}
