import { InternalHeaders, ListIntegrationsQuerySchema } from '@integrations/contracts';
import { Controller, Get, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { parseRequest } from '../integration.errors';
import { type IntegrationListJson, ListIntegrationsQuery } from './list-integrations.query';
import { toGridQuery } from './list-integrations.request';

@Controller('integrations')
export class ListIntegrationsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  async list(
    @QueryParams() params: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IntegrationListJson> {
    const input = parseRequest(ListIntegrationsQuerySchema, params);
    const mark =
      input.minVersionId !== undefined && input.minVersion !== undefined
        ? { id: input.minVersionId, version: input.minVersion }
        : undefined;
    const { body, caughtUp } = await this.queryBus.execute(new ListIntegrationsQuery(toGridQuery(input), mark));
    if (!caughtUp) response.setHeader(InternalHeaders.readYourWrites, 'timeout');
    return body;
  }
}
