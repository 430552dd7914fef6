import { ChangeSettingsRequestSchema } from '@integrations/contracts';
import { currentContext, parseInput } from '@integrations/service-kit';
import { Body, Controller, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { SettingsView } from '../settings.view';
import { ChangeSettingsCommand } from './change-settings.command';

@Controller('config')
export class ChangeSettingsController {
  constructor(private readonly commands: CommandBus) {}

  /** Sets the given settings, all or none; answers the whole configuration with its new version. */
  @Put()
  change(@Body() body: unknown): Promise<SettingsView> {
    const { values } = parseInput(ChangeSettingsRequestSchema, body);
    const context = currentContext();
    return this.commands.execute(
      // The gateway authenticates admins and passes the user name in x-actor.
      new ChangeSettingsCommand(values, context?.actor ?? 'system', context?.correlationId ?? randomUUID(), new Date()),
    );
  }
}
