import { CreateIntegrationRequestSchema } from '@integrations/contracts';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { commandMeta } from '../command-meta';
import { parseRequest } from '../integration.errors';
import { toIntegrationFields } from '../integration-fields';
import type { IntegrationJson } from '../integration.view';
import { CreateIntegrationCommand } from './create-integration.command';

@Controller('integrations')
export class CreateIntegrationController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Admin-created integrations are `manual`; config-type ones come from configuration, not this API. */
  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<IntegrationJson> {
    const fields = toIntegrationFields(parseRequest(CreateIntegrationRequestSchema, body));
    return this.commandBus.execute(new CreateIntegrationCommand(randomUUID(), fields, 'manual', commandMeta()));
  }
}
