import { ExpectedVersionSchema, InternalHeaders, SuspensionRequestSchema } from '@integrations/contracts';
import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { commandMeta } from '../command-meta';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound, parseRequest } from '../integration.errors';
import type { IntegrationJson } from '../integration.view';
import { ResumeIntegrationCommand } from './resume-integration.command';

@Controller('integrations')
export class ResumeIntegrationController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 200 with the integration at its new version (or as it was, when there was nothing to do). */
  @Post(':id/resume')
  @HttpCode(200)
  resume(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers(InternalHeaders.ifMatch) ifMatch?: string,
  ): Promise<IntegrationJson> {
    const { expectedVersion } = parseRequest(SuspensionRequestSchema, body);
    const expected = parseRequest(ExpectedVersionSchema, { 'If-Match': ifMatch, expectedVersion });
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.commandBus.execute(new ResumeIntegrationCommand(id, expected, 'admin', commandMeta()));
  }
}
