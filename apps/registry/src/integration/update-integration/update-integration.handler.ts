import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AclCatalog } from '../acl-catalog';
import { decide } from '../integration.decider';
import { IntegrationRepository } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { assertKnownResources } from '../resource-check';
import { UpdateIntegrationCommand } from './update-integration.command';

/** An update that changes nothing answers the current version and stores nothing. */
@CommandHandler(UpdateIntegrationCommand)
export class UpdateIntegrationHandler implements ICommandHandler<UpdateIntegrationCommand> {
  constructor(
    private readonly repository: IntegrationRepository,
    private readonly catalog: AclCatalog,
  ) {}

  async execute({
    integrationId: id,
    fields,
    expectedVersion,
    origin,
    meta,
  }: UpdateIntegrationCommand): Promise<IntegrationJson> {
    assertKnownResources(this.catalog, fields);
    const { state, version } = await this.repository.handle(
      id,
      expectedVersion,
      ({ state }) =>
        decide(
          { type: 'UpdateIntegration', integrationId: id, fields, origin, now: meta.now, actor: meta.actor },
          state,
        ),
      meta,
    );
    return integrationJson(state, version);
  }
}
