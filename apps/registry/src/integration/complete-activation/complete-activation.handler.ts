import { ConcurrencyConflictError } from '@integrations/event-store';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accessOf } from '../integration-access';
import { decide } from '../integration.decider';
import { type CommandMeta, IntegrationRepository } from '../integration.repository';
import { CompleteActivationCommand, type CompletionOutcome } from './complete-activation.command';

const MAX_CONFLICT_RETRIES = 3;

/**
 * Idempotent: the completion event records the grant as its causation, so a grant seen again is
 * recognised (not applied twice, not an error); a grant for an integration that waits for no
 * exchange changes nothing. Either way the access the acl holds is current before this returns.
 */
@CommandHandler(CompleteActivationCommand)
export class CompleteActivationHandler implements ICommandHandler<CompleteActivationCommand> {
  constructor(private readonly repository: IntegrationRepository) {}

  async execute({ grant }: CompleteActivationCommand): Promise<CompletionOutcome> {
    // The third party, not an admin, completed the exchange: it is the actor (as the oauth event says).
    const meta: CommandMeta = {
      now: new Date(),
      actor: grant.integrationId,
      correlationId: grant.correlationId,
      causationId: grant.eventId,
    };
    for (let attempt = 1; ; attempt++) {
      let outcome: CompletionOutcome | undefined;
      try {
        const handled = await this.repository.handle(
          grant.integrationId,
          undefined,
          ({ state, causationIds }) => {
            if (causationIds.has(grant.eventId)) outcome = { kind: 'duplicate' };
            else if (state.kind !== 'Existing') outcome = { kind: 'gone' };
            else if (!state.pendingExchange) outcome = { kind: 'not-pending' };
            if (outcome) return [];
            return decide(
              { type: 'CompleteActivation', integrationId: grant.integrationId, now: meta.now, actor: meta.actor },
              state,
            );
          },
          meta,
        );
        if (!outcome) return { kind: 'completed', type: handled.events.at(-1)!.type, version: handled.version };
        // The other path may still be between its commit and its snapshot: publish the current one.
        const access = accessOf(handled.state, handled.version);
        if (outcome.kind === 'duplicate' && access)
          await this.repository.publishAccess(access, undefined, meta.correlationId);
        return outcome;
      } catch (error) {
        // An admin command landed in between: decide again on the new state.
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }
}
