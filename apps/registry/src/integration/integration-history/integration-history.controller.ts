import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { z } from 'zod';
import { looksLikeIntegrationId } from '../expected-version';
import { integrationNotFound, parseRequest } from '../integration.errors';
import { IntegrationHistoryQuery, type IntegrationHistoryJson } from './integration-history.query';

const historyParams = z
  .object({
    page: z.coerce
      .number({ error: 'page must be a whole number.' })
      .int()
      .min(1, { error: 'page must be at least 1.' })
      .default(1),
    pageSize: z.coerce
      .number({ error: 'pageSize must be a whole number.' })
      .int()
      .min(1)
      .max(200, { error: 'pageSize must be at most 200.' })
      .default(50),
  })
  .strict();

@Controller('integrations')
export class IntegrationHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Newest first. */
  @Get(':id/history')
  history(@Param('id') id: string, @QueryParams() params: unknown): Promise<IntegrationHistoryJson> {
    const { page, pageSize } = parseRequest(historyParams, params);
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.queryBus.execute(new IntegrationHistoryQuery(id, page, pageSize));
  }
}
