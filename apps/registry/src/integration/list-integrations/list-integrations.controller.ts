import { Controller, Get, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { currentContext } from '@integrations/service-kit';
import type { Response } from 'express';
import { parseRequest } from '../integration-errors';
import { type IntegrationListJson, ListIntegrationsQuery } from './list-integrations.query';
import { listIntegrationsRequest, toGridQuery } from './list-integrations.request';

/** Set when the grid had not caught up with the awaited write in time (the page may be stale). */
export const STALE_HEADER = 'x-read-your-writes';

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
    const { body, caughtUp } = await this.queryBus.execute(
      new ListIntegrationsQuery(toGridQuery(input), mark, currentContext()?.actor),
    );
    if (!caughtUp) response.setHeader(STALE_HEADER, 'timeout');
    return body;
  }
}
