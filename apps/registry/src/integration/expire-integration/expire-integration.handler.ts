import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../integration.decider';
import { IntegrationRepository } from '../integration.repository';
import { ExpireIntegrationCommand } from './expire-integration.command';

@CommandHandler(ExpireIntegrationCommand)
export class ExpireIntegrationHandler implements ICommandHandler<ExpireIntegrationCommand> {
  constructor(private readonly repository: IntegrationRepository) {}

  async execute({ integrationId: id, meta }: ExpireIntegrationCommand): Promise<{ version: number; expired: boolean }> {
    const { version, events } = await this.repository.handle(
      id,
      undefined,
      ({ state }) => decide({ type: 'ExpireIntegration', integrationId: id, now: meta.now, actor: meta.actor }, state),
      meta,
    );
    return { version, expired: events.length > 0 };
  }
}
