import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RegistryRuntime } from '../../registry.runtime';
import { decide } from '../integration.decider';
import { integrationConflict, integrationNotFound, toDomainError } from '../integration-errors';
import { DeleteIntegrationCommand, type IntegrationDeletedJson } from './delete-integration.command';

@CommandHandler(DeleteIntegrationCommand)
export class DeleteIntegrationHandler implements ICommandHandler<DeleteIntegrationCommand> {
  constructor(private readonly runtime: RegistryRuntime) {}

  async execute(command: DeleteIntegrationCommand): Promise<IntegrationDeletedJson> {
    const { repository, names, readYourWrites } = this.runtime;
    const { integrationId: id, meta } = command;
    try {
      const { state, version } = await repository.load(id);
      if (state.kind === 'Existing' && command.expectedVersion !== undefined && command.expectedVersion !== version)
        throw integrationConflict();
      const events = decide(
        { type: 'DeleteIntegration', integrationId: id, origin: command.origin, now: meta.now, actor: meta.actor },
        state,
      );
      if (state.kind !== 'Existing') throw integrationNotFound();
      const stored = await repository.append(id, version, events, meta);
      // A crash before this line leaves the name reserved by a deleted integration, which the next
      // claimant takes over at once (NameReservations checks the holder's stream).
      await names.releaseAfterCommit(state.name, id, (err) =>
        this.runtime.logger.warn({ err, integrationId: id }, 'name not released; the next claimant takes it over'),
      );
      const nextVersion = stored.at(-1)!.version;
      readYourWrites.remember(meta.actor, { id, version: nextVersion });
      return { id, deleted: true, version: nextVersion };
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
