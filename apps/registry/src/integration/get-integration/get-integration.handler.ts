import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { integrationNotFound } from '../integration.errors';
import { IntegrationRepository, type Loaded } from '../integration.repository';
import { integrationJson, type IntegrationJson } from '../integration.view';
import { ReadYourWrites } from '../read-your-writes';
import { GetIntegrationQuery } from './get-integration.query';

/**
 * Served from the event stream (folded), not from the grid: the stream is the truth, so a read right
 * after a write sees it on any replica, and `minVersion` is met at once. Only a version the store
 * does not hold yet (never seen in practice) is waited for. Streams are short (a handful of events
 * per integration), so the fold costs about as much as a projection lookup.
 */
@QueryHandler(GetIntegrationQuery)
export class GetIntegrationHandler implements IQueryHandler<GetIntegrationQuery> {
  constructor(
    private readonly repository: IntegrationRepository,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute({
    integrationId,
    minVersion,
  }: GetIntegrationQuery): Promise<{ body: IntegrationJson; caughtUp: boolean }> {
    let loaded: Loaded = await this.repository.load(integrationId);
    let caughtUp = true;
    // A deleted integration never moves again: nothing to wait for.
    if (minVersion !== undefined && loaded.version < minVersion && loaded.state.kind !== 'Deleted')
      caughtUp = await this.readYourWrites.waitUntil(async () => {
        loaded = await this.repository.load(integrationId);
        return loaded.version >= minVersion;
      });
    if (loaded.state.kind !== 'Existing') throw integrationNotFound();
    return { body: integrationJson(loaded.state, loaded.version), caughtUp };
  }
}
