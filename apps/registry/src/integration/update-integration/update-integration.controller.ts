import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { commandMeta } from '../command-meta';
import { expectedVersionFrom, looksLikeIntegrationId } from '../expected-version';
import { integrationNotFound, parseRequest } from '../integration.errors';
import { toIntegrationFields } from '../integration-fields';
import type { IntegrationJson } from '../integration.view';
import { UpdateIntegrationCommand } from './update-integration.command';
import { updateIntegrationRequest } from './update-integration.request';

@Controller('integrations')
export class UpdateIntegrationController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id')
  update(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch?: string,
  ): Promise<IntegrationJson> {
    const { expectedVersion, ...input } = parseRequest(updateIntegrationRequest, body);
    const expected = expectedVersionFrom(ifMatch, expectedVersion);
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.commandBus.execute(
      new UpdateIntegrationCommand(id, toIntegrationFields(input), expected, 'admin', commandMeta()),
    );
  }
}
