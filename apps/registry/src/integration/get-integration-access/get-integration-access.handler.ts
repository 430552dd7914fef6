import { type IntegrationAccess, IntegrationAccessSchema } from '@integrations/contracts';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { accessOf } from '../integration-access';
import { integrationNotFound } from '../integration.errors';
import { IntegrationRepository } from '../integration.repository';
import { GetIntegrationAccessQuery } from './get-integration-access.query';

/**
 * The authoritative access of an integration, folded from its stream (never a projection): the acl's
 * sweeper asks it to resolve a hold whose command died before publishing its snapshot. A deleted
 * integration answers `deleted`; only an id that never existed is a 404.
 */
@QueryHandler(GetIntegrationAccessQuery)
export class GetIntegrationAccessHandler implements IQueryHandler<GetIntegrationAccessQuery> {
  constructor(private readonly repository: IntegrationRepository) {}

  async execute({ integrationId }: GetIntegrationAccessQuery): Promise<IntegrationAccess> {
    const { state, version } = await this.repository.load(integrationId);
    const access = accessOf(state, version);
    if (!access) throw integrationNotFound();
    return IntegrationAccessSchema.parse(access);
  }
}
