import { Controller, Get, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { parseRequest } from '../integration.errors';
import { STALE_HEADER } from '../read-your-writes';
import { type IntegrationListJson, ListIntegrationsQuery } from './list-integrations.query';
import { listIntegrationsRequest, toGridQuery } from './list-integrations.request';

@Controller('integrations')
export class ListIntegrationsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  async list(
    @QueryParams() params: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IntegrationListJson> {
    const input = parseRequest(listIntegrationsRequest, params);
    const mark =
      input.minVersionId !== undefined && input.minVersion !== undefined
        ? { id: input.minVersionId, version: input.minVersion }
        : undefined;
    const { body, caughtUp } = await this.queryBus.execute(new ListIntegrationsQuery(toGridQuery(input), mark));
    if (!caughtUp) response.setHeader(STALE_HEADER, 'timeout');
    return body;
  }
}
