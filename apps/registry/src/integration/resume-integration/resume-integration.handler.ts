import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../integration.decider';
import { IntegrationRepository } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { ResumeIntegrationCommand } from './resume-integration.command';

/** Resuming an integration that is not suspended stores nothing and answers its current version. */
@CommandHandler(ResumeIntegrationCommand)
export class ResumeIntegrationHandler implements ICommandHandler<ResumeIntegrationCommand> {
  constructor(private readonly repository: IntegrationRepository) {}

  async execute({
    integrationId: id,
    expectedVersion,
    origin,
    meta,
  }: ResumeIntegrationCommand): Promise<IntegrationJson> {
    const { state, version } = await this.repository.handle(
      id,
      expectedVersion,
      ({ state }) =>
        decide({ type: 'ResumeIntegration', integrationId: id, origin, now: meta.now, actor: meta.actor }, state),
      meta,
    );
    return integrationJson(state, version, meta.now);
  }
}
