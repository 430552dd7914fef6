import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../integration.decider';
import { IntegrationRepository } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { StartActivationCommand } from './start-activation.command';

@CommandHandler(StartActivationCommand)
export class StartActivationHandler implements ICommandHandler<StartActivationCommand> {
  constructor(private readonly repository: IntegrationRepository) {}

  /** A concurrent command on the same integration makes this a 409 INTEGRATION.CONFLICT: the admin retries. */
  async execute({ integrationId: id, reauthorize, mode, meta }: StartActivationCommand): Promise<IntegrationJson> {
    const { state, version } = await this.repository.handle(
      id,
      undefined,
      ({ state }) =>
        decide(
          { type: 'StartActivation', integrationId: id, reauthorize, mode, now: meta.now, actor: meta.actor },
          state,
        ),
      meta,
    );
    return integrationJson(state, version);
  }
}
