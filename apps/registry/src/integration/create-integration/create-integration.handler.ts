import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AclCatalog } from '../acl-catalog';
import { decide } from '../integration.decider';
import { IntegrationRepository } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { assertKnownResources } from '../resource-check';
import { CreateIntegrationCommand } from './create-integration.command';

@CommandHandler(CreateIntegrationCommand)
export class CreateIntegrationHandler implements ICommandHandler<CreateIntegrationCommand> {
  constructor(
    private readonly repository: IntegrationRepository,
    private readonly catalog: AclCatalog,
  ) {}

  async execute({ integrationId, fields, setupType, meta }: CreateIntegrationCommand): Promise<IntegrationJson> {
    assertKnownResources(this.catalog, fields);
    const { state, version } = await this.repository.handle(
      integrationId,
      0,
      ({ state }) =>
        decide(
          { type: 'CreateIntegration', integrationId, fields, setupType, now: meta.now, actor: meta.actor },
          state,
        ),
      meta,
    );
    return integrationJson(state, version);
  }
}
