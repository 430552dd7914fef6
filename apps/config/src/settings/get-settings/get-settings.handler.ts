import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SettingsRepository } from '../settings.repository';
import { toSettingsView, type SettingsView } from '../settings.view';
import { GetSettingsQuery } from './get-settings.query';

@QueryHandler(GetSettingsQuery)
export class GetSettingsHandler implements IQueryHandler<GetSettingsQuery, SettingsView> {
  constructor(private readonly repository: SettingsRepository) {}

  async execute(): Promise<SettingsView> {
    const { state, version } = await this.repository.load();
    return toSettingsView(state.values, version);
  }
}
