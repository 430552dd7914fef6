import { ConcurrencyConflictError } from '@integrations/event-store';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RegistryRuntime } from '../../registry.runtime';
import { decide } from '../integration.decider';
import { integrationConflict, integrationNotFound, toDomainError } from '../integration-errors';
import { after } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { nameKey } from '../name-reservations';
import { assertKnownResources } from '../resource-check';
import { UpdateIntegrationCommand } from './update-integration.command';

@CommandHandler(UpdateIntegrationCommand)
export class UpdateIntegrationHandler implements ICommandHandler<UpdateIntegrationCommand> {
  constructor(private readonly runtime: RegistryRuntime) {}

  async execute(command: UpdateIntegrationCommand): Promise<IntegrationJson> {
    const { repository, names, catalog, readYourWrites } = this.runtime;
    const { integrationId: id, fields, meta } = command;
    try {
      assertKnownResources(catalog, fields);
      const { state, version } = await repository.load(id);
      if (state.kind === 'Existing' && command.expectedVersion !== undefined && command.expectedVersion !== version)
        throw integrationConflict();
      const events = decide(
        {
          type: 'UpdateIntegration',
          integrationId: id,
          fields,
          origin: command.origin,
          now: meta.now,
          actor: meta.actor,
        },
        state,
      );
      if (state.kind !== 'Existing') throw integrationNotFound(); // decide rejects first; this narrows the type
      if (events.length === 0) return integrationJson(state, version);

      // A rename holds both names until the event is stored: the old one is released only after.
      const renamed = nameKey(state.name) !== nameKey(fields.name);
      if (renamed) await names.reserve(fields.name, id, meta.now);
      let stored;
      try {
        stored = await repository.append(id, version, events, meta);
      } catch (error) {
        if (renamed && error instanceof ConcurrencyConflictError) await names.release(fields.name, id);
        throw error;
      }
      if (renamed)
        await names.releaseAfterCommit(state.name, id, (err) =>
          this.runtime.logger.warn(
            { err, integrationId: id },
            'old name not released; the next claimant takes it over',
          ),
        );

      const next = after(state, stored);
      const nextVersion = stored.at(-1)!.version;
      readYourWrites.remember(meta.actor, { id, version: nextVersion });
      if (next.kind !== 'Existing') throw new Error('IntegrationUpdated did not keep the integration');
      return integrationJson(next, nextVersion);
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
