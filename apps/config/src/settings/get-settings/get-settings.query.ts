import { Query } from '@nestjs/cqrs';
import type { SettingsView } from '../settings.view';

export class GetSettingsQuery extends Query<SettingsView> {}
