import { StartActivationRequestSchema } from '@integrations/contracts';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { commandMeta } from '../command-meta';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound, parseRequest } from '../integration.errors';
import type { IntegrationJson } from '../integration.view';
import { StartActivationCommand } from './start-activation.command';

@Controller('integrations')
export class StartActivationController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * 200 with the integration at its new version: `active` at once in tokens mode; `inactive` with an
   * exchange pending in exchange mode (active once the third party completes /oauth/token/access).
   */
  @Post(':id/activation')
  @HttpCode(200)
  start(@Param('id') id: string, @Body() body: unknown): Promise<IntegrationJson> {
    const { reauthorize, mode } = parseRequest(StartActivationRequestSchema, body);
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.commandBus.execute(new StartActivationCommand(id, reauthorize, mode, commandMeta()));
  }
}
