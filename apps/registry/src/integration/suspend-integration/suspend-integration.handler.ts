import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../integration.decider';
import { IntegrationRepository } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { SuspendIntegrationCommand } from './suspend-integration.command';

/** Suspending a suspended integration stores nothing and answers its current version. */
@CommandHandler(SuspendIntegrationCommand)
export class SuspendIntegrationHandler implements ICommandHandler<SuspendIntegrationCommand> {
  constructor(private readonly repository: IntegrationRepository) {}

  async execute({
    integrationId: id,
    expectedVersion,
    origin,
    meta,
  }: SuspendIntegrationCommand): Promise<IntegrationJson> {
    const { state, version } = await this.repository.handle(
      id,
      expectedVersion,
      ({ state }) =>
        decide({ type: 'SuspendIntegration', integrationId: id, origin, now: meta.now, actor: meta.actor }, state),
      meta,
    );
    return integrationJson(state, version, meta.now);
  }
}
