import { ExpectedVersionSchema, InternalHeaders, SuspensionRequestSchema } from '@integrations/contracts';
import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { commandMeta } from '../command-meta';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound, parseRequest } from '../integration.errors';
import type { IntegrationJson } from '../integration.view';
import { SuspendIntegrationCommand } from './suspend-integration.command';

@Controller('integrations')
export class SuspendIntegrationController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 200 with the integration at its new version (or as it was, when there was nothing to do). */
  @Post(':id/suspend')
  @HttpCode(200)
  suspend(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers(InternalHeaders.ifMatch) ifMatch?: string,
  ): Promise<IntegrationJson> {
    const { expectedVersion } = parseRequest(SuspensionRequestSchema, body);
    const expected = parseRequest(ExpectedVersionSchema, { 'If-Match': ifMatch, expectedVersion });
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.commandBus.execute(new SuspendIntegrationCommand(id, expected, 'admin', commandMeta()));
  }
}
