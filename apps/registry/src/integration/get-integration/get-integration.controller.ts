import { Controller, Get, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { z } from 'zod';
import { looksLikeIntegrationId } from '../expected-version';
import { integrationNotFound, parseRequest } from '../integration.errors';
import type { IntegrationJson } from '../integration.view';
import { STALE_HEADER } from '../read-your-writes';
import { GetIntegrationQuery } from './get-integration.query';

const getIntegrationParams = z
  .object({
    minVersion: z.coerce
      .number({ error: 'minVersion must be a whole number.' })
      .int({ error: 'minVersion must be a whole number.' })
      .min(1, { error: 'minVersion must be at least 1.' })
      .optional(),
  })
  .strict();

@Controller('integrations')
export class GetIntegrationController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  async get(
    @Param('id') id: string,
    @QueryParams() params: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IntegrationJson> {
    const { minVersion } = parseRequest(getIntegrationParams, params);
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    const { body, caughtUp } = await this.queryBus.execute(new GetIntegrationQuery(id, minVersion));
    if (!caughtUp) response.setHeader(STALE_HEADER, 'timeout');
    return body;
  }
}
