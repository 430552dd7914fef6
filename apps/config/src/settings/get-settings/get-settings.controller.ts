import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { SettingsView } from '../settings.view';
import { GetSettingsQuery } from './get-settings.query';

@Controller('config')
export class GetSettingsController {
  constructor(private readonly queries: QueryBus) {}

  /** Every setting with its declaration (type, default, bounds, label) and current value. */
  @Get()
  get(): Promise<SettingsView> {
    return this.queries.execute(new GetSettingsQuery());
  }
}
