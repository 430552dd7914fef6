import { Controller, Get, Inject, Param } from '@nestjs/common';
import { integrationNotFound } from '../acl.errors';
import { AclCatalog } from '../catalog/acl-catalog';
import { GrantsProjection } from './grants.projection';
import { toIntegrationGrants } from './integration-grants';

/**
 * One integration's effective grants, read from the projection (not the cache) so that a caller
 * can wait until a given stream `version` is applied (read-your-writes after an admin change).
 */
@Controller('integrations')
export class GrantsController {
  constructor(
    @Inject(GrantsProjection) private readonly projection: GrantsProjection,
    @Inject(AclCatalog) private readonly catalog: AclCatalog,
  ) {}

  @Get(':integrationId/grants')
  async get(@Param('integrationId') integrationId: string) {
    const record = await this.projection.find(integrationId);
    if (!record) throw integrationNotFound();
    const grants = toIntegrationGrants(record, this.catalog);
    return {
      integrationId,
      version: record.version,
      status: record.status,
      resourceAccess: record.resourceAccess,
      resources: record.resources,
      granted: [...grants.granted].sort(),
    };
  }
}
