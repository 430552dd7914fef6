import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RegistryRuntime } from '../../registry.runtime';
import { integrationNotFound } from '../integration-errors';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { GetIntegrationQuery } from './get-integration.query';

/**
 * Served from the event stream (folded), not from the grid: the stream is the truth, so a read right
 * after a write always sees it, on any instance, with no waiting. Streams are short (a handful of
 * events per integration), so the fold costs about as much as a projection lookup.
 */
@QueryHandler(GetIntegrationQuery)
export class GetIntegrationHandler implements IQueryHandler<GetIntegrationQuery> {
  constructor(private readonly runtime: RegistryRuntime) {}

  async execute(query: GetIntegrationQuery): Promise<IntegrationJson> {
    const { state, version } = await this.runtime.repository.load(query.integrationId);
    if (state.kind !== 'Existing') throw integrationNotFound();
    return integrationJson(state, version);
  }
}
