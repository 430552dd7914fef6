import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../integration.decider';
import { IntegrationRepository } from '../integration.repository';
import { DeleteIntegrationCommand, type IntegrationDeletedJson } from './delete-integration.command';

@CommandHandler(DeleteIntegrationCommand)
export class DeleteIntegrationHandler implements ICommandHandler<DeleteIntegrationCommand> {
  constructor(private readonly repository: IntegrationRepository) {}

  async execute({
    integrationId: id,
    expectedVersion,
    origin,
    meta,
  }: DeleteIntegrationCommand): Promise<IntegrationDeletedJson> {
    const { version } = await this.repository.handle(
      id,
      expectedVersion,
      ({ state }) =>
        decide({ type: 'DeleteIntegration', integrationId: id, origin, now: meta.now, actor: meta.actor }, state),
      meta,
    );
    return { id, deleted: true, version };
  }
}
