import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { z } from 'zod';
import { looksLikeIntegrationId } from '../expected-version';
import { integrationNotFound, parseRequest } from '../integration-errors';
import type { IntegrationJson } from '../integration.view';
import { GetIntegrationQuery } from './get-integration.query';

/** `minVersion` is accepted for symmetry with the list; reads from the stream never lag behind it. */
const getIntegrationParams = z.object({ minVersion: z.coerce.number().int().min(1).optional() }).strict();

@Controller('integrations')
export class GetIntegrationController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  get(@Param('id') id: string, @QueryParams() params: unknown): Promise<IntegrationJson> {
    parseRequest(getIntegrationParams, params);
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.queryBus.execute(new GetIntegrationQuery(id));
  }
}
