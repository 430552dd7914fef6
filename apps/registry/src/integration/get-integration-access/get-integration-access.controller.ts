import type { IntegrationAccess } from '@integrations/contracts';
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound } from '../integration.errors';
import { GetIntegrationAccessQuery } from './get-integration-access.query';

@Controller('integrations')
export class GetIntegrationAccessController {
  constructor(private readonly queryBus: QueryBus) {}

  /** IntegrationAccess (libs/contracts) at the stream's current version. */
  @Get(':id/access')
  access(@Param('id') id: string): Promise<IntegrationAccess> {
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.queryBus.execute(new GetIntegrationAccessQuery(id));
  }
}
