import { IntegrationHistoryQuerySchema } from '@integrations/contracts';
import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound, parseRequest } from '../integration.errors';
import { IntegrationHistoryQuery, type IntegrationHistoryJson } from './integration-history.query';

@Controller('integrations')
export class IntegrationHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Newest first. */
  @Get(':id/history')
  history(@Param('id') id: string, @QueryParams() params: unknown): Promise<IntegrationHistoryJson> {
    const { page, pageSize } = parseRequest(IntegrationHistoryQuerySchema, params);
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.queryBus.execute(new IntegrationHistoryQuery(id, page, pageSize));
  }
}
