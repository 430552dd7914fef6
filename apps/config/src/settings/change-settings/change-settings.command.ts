import { Command } from '@nestjs/cqrs';
import type { SettingsView } from '../settings.view';

export class ChangeSettingsCommand extends Command<SettingsView> {
  constructor(
    /** Raw values from the request, keyed by path; the decider validates them against the catalog. */
    readonly values: Readonly<Record<string, unknown>>,
    readonly actor: string,
    readonly correlationId: string,
    readonly now: Date,
  ) {
    super();
  }
}
