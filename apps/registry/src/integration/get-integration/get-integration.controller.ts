import { GetIntegrationQuerySchema, InternalHeaders } from '@integrations/contracts';
import { Controller, Get, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound, parseRequest } from '../integration.errors';
import type { IntegrationJson } from '../integration.view';
import { GetIntegrationQuery } from './get-integration.query';

@Controller('integrations')
export class GetIntegrationController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  async get(
    @Param('id') id: string,
    @QueryParams() params: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IntegrationJson> {
    const { minVersion } = parseRequest(GetIntegrationQuerySchema, params);
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    const { body, caughtUp } = await this.queryBus.execute(new GetIntegrationQuery(id, minVersion));
    if (!caughtUp) response.setHeader(InternalHeaders.readYourWrites, 'timeout');
    return body;
  }
}
