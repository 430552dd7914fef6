import { OutboxRelay } from '@integrations/event-store';
import { DomainError } from '@integrations/service-kit';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConfigErrorCodes } from '../../config.errors';
import { decide, evolve } from '../settings.decider';
import { SettingsRepository } from '../settings.repository';
import { toSettingsView, type SettingsView } from '../settings.view';
import { ChangeSettingsCommand } from './change-settings.command';

/** A lost race is retried: the command sets absolute values, so deciding again on the newer state is right. */
const MAX_ATTEMPTS = 3;

@CommandHandler(ChangeSettingsCommand)
export class ChangeSettingsHandler implements ICommandHandler<ChangeSettingsCommand, SettingsView> {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly relay: OutboxRelay,
  ) {}

  async execute({ values, actor, correlationId, now }: ChangeSettingsCommand): Promise<SettingsView> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.repository.load();
      const events = decide({ type: 'ChangeSettings', values, actor, now }, state);
      if (events.length === 0) return toSettingsView(state.values, version);
      try {
        const newVersion = await this.repository.append(version, events, { actor, correlationId, now });
        // Publish now rather than at the next poll: consumers must apply a change within 1 s.
        this.relay.nudge();
        return toSettingsView(events.reduce(evolve, state).values, newVersion);
      } catch (error) {
        if (error instanceof DomainError && error.code === ConfigErrorCodes.conflict && attempt < MAX_ATTEMPTS)
          continue;
        throw error;
      }
    }
  }
}
