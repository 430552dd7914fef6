import { ExpectedVersionSchema, InternalHeaders, UpdateIntegrationRequestSchema } from '@integrations/contracts';
import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { commandMeta } from '../command-meta';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound, parseRequest } from '../integration.errors';
import { toIntegrationFields } from '../integration-fields';
import type { IntegrationJson } from '../integration.view';
import { UpdateIntegrationCommand } from './update-integration.command';

@Controller('integrations')
export class UpdateIntegrationController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id')
  update(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers(InternalHeaders.ifMatch) ifMatch?: string,
  ): Promise<IntegrationJson> {
    const { expectedVersion, ...input } = parseRequest(UpdateIntegrationRequestSchema, body);
    const expected = parseRequest(ExpectedVersionSchema, { 'If-Match': ifMatch, expectedVersion });
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.commandBus.execute(
      new UpdateIntegrationCommand(id, toIntegrationFields(input), expected, 'admin', commandMeta()),
    );
  }
}
