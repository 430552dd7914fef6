import { ConcurrencyConflictError } from '@integrations/event-store';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RegistryRuntime } from '../../registry.runtime';
import { decide, initialState } from '../integration.decider';
import { toDomainError } from '../integration-errors';
import { after } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { assertKnownResources } from '../resource-check';
import { CreateIntegrationCommand } from './create-integration.command';

@CommandHandler(CreateIntegrationCommand)
export class CreateIntegrationHandler implements ICommandHandler<CreateIntegrationCommand> {
  constructor(private readonly runtime: RegistryRuntime) {}

  async execute(command: CreateIntegrationCommand): Promise<IntegrationJson> {
    const { repository, names, catalog, readYourWrites } = this.runtime;
    const { integrationId: id, fields, meta } = command;
    try {
      assertKnownResources(catalog, fields);
      // A fresh id has no stream: deciding on the initial state saves a read.
      const events = decide(
        {
          type: 'CreateIntegration',
          integrationId: id,
          fields,
          setupType: command.setupType,
          now: meta.now,
          actor: meta.actor,
        },
        initialState,
      );
      await names.reserve(fields.name, id, meta.now);
      let stored;
      try {
        stored = await repository.append(id, 0, events, meta);
      } catch (error) {
        // Only a conflict proves nothing was written; after any other failure the append may have
        // landed, so the reservation stays (a dangling one is taken over later, see NameReservations).
        if (error instanceof ConcurrencyConflictError) await names.release(fields.name, id);
        throw error;
      }
      const state = after(initialState, stored);
      const version = stored.at(-1)!.version;
      readYourWrites.remember(meta.actor, { id, version });
      if (state.kind !== 'Existing') throw new Error('IntegrationCreated did not produce an existing integration');
      return integrationJson(state, version);
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
