import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../integration.decider';
import { IntegrationRepository } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { ResetIntegrationCommand } from './reset-integration.command';

@CommandHandler(ResetIntegrationCommand)
export class ResetIntegrationHandler implements ICommandHandler<ResetIntegrationCommand> {
  constructor(private readonly repository: IntegrationRepository) {}

  async execute({ integrationId: id, expectedVersion, meta }: ResetIntegrationCommand): Promise<IntegrationJson> {
    const { state, version } = await this.repository.handle(
      id,
      expectedVersion,
      ({ state }) => decide({ type: 'ResetIntegration', integrationId: id, now: meta.now, actor: meta.actor }, state),
      meta,
    );
    return integrationJson(state, version);
  }
}
