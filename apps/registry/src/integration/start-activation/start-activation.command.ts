import type { ActivationMode } from '@integrations/contracts';
import { Command } from '@nestjs/cqrs';
import type { CommandMeta } from '../integration.repository';
import type { IntegrationJson } from '../integration.view';

/** Activate or Reauthorize, after the oauth service issued credentials for `mode`. */
export class StartActivationCommand extends Command<IntegrationJson> {
  constructor(
    readonly integrationId: string,
    readonly reauthorize: boolean,
    readonly mode: ActivationMode,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
