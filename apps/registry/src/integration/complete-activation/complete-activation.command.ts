import { Command } from '@nestjs/cqrs';

/** What became of one access-token grant. */
export type CompletionOutcome =
  | { kind: 'completed'; type: string; version: number }
  /** This very grant completed the activation before (a redelivery, or the other path): nothing to do. */
  | { kind: 'duplicate' }
  /** No such integration, or it was deleted since. */
  | { kind: 'gone' }
  /** The integration is not waiting for a token exchange (yet, or any more). */
  | { kind: 'not-pending' };

export interface Grant {
  integrationId: string;
  /** The id of the AccessTokenGranted event: recorded as the causation of the completion. */
  eventId: string;
  correlationId: string;
}

/**
 * CompleteActivation for one access token granted by the oauth service: from its HTTP call
 * (before it answers the partner) or from AccessTokenGranted on Kafka (the fallback). Both carry the
 * same event id, so whichever comes second changes nothing.
 */
export class CompleteActivationCommand extends Command<CompletionOutcome> {
  constructor(readonly grant: Grant) {
    super();
  }
}
