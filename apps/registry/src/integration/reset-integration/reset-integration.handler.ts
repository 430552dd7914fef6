import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RegistryRuntime } from '../../registry.runtime';
import { decide } from '../integration.decider';
import { integrationConflict, integrationNotFound, toDomainError } from '../integration-errors';
import { after } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { ResetIntegrationCommand } from './reset-integration.command';

@CommandHandler(ResetIntegrationCommand)
export class ResetIntegrationHandler implements ICommandHandler<ResetIntegrationCommand> {
  constructor(private readonly runtime: RegistryRuntime) {}

  async execute(command: ResetIntegrationCommand): Promise<IntegrationJson> {
    const { repository, readYourWrites } = this.runtime;
    const { integrationId: id, meta } = command;
    try {
      const { state, version } = await repository.load(id);
      if (state.kind === 'Existing' && command.expectedVersion !== undefined && command.expectedVersion !== version)
        throw integrationConflict();
      const events = decide({ type: 'ResetIntegration', integrationId: id, now: meta.now, actor: meta.actor }, state);
      if (state.kind !== 'Existing') throw integrationNotFound(); // decide rejects first; this narrows the type
      const stored = await repository.append(id, version, events, meta);
      const next = after(state, stored);
      const nextVersion = stored.at(-1)!.version;
      readYourWrites.remember(meta.actor, { id, version: nextVersion });
      if (next.kind !== 'Existing') throw new Error('IntegrationReset did not keep the integration');
      return integrationJson(next, nextVersion);
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
