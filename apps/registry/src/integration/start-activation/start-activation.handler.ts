import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RegistryRuntime } from '../../registry.runtime';
import { decide } from '../integration.decider';
import { integrationNotFound, toDomainError } from '../integration-errors';
import { after } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { StartActivationCommand } from './start-activation.command';

@CommandHandler(StartActivationCommand)
export class StartActivationHandler implements ICommandHandler<StartActivationCommand> {
  constructor(private readonly runtime: RegistryRuntime) {}

  async execute(command: StartActivationCommand): Promise<IntegrationJson> {
    const { repository, readYourWrites } = this.runtime;
    const { integrationId: id, meta } = command;
    try {
      const { state, version } = await repository.load(id);
      const events = decide(
        {
          type: 'StartActivation',
          integrationId: id,
          reauthorize: command.reauthorize,
          mode: command.mode,
          now: meta.now,
          actor: meta.actor,
        },
        state,
      );
      if (state.kind !== 'Existing') throw integrationNotFound(); // decide rejects first; this narrows the type
      // A concurrent command on the same integration makes this a 409 INTEGRATION.CONFLICT: the admin retries.
      const stored = await repository.append(id, version, events, meta);
      const next = after(state, stored);
      const nextVersion = stored.at(-1)!.version;
      readYourWrites.remember(meta.actor, { id, version: nextVersion });
      if (next.kind !== 'Existing') throw new Error('an activation event did not keep the integration');
      return integrationJson(next, nextVersion);
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
