import { Command } from '@nestjs/cqrs';
import type { SetupType } from '@integrations/contracts';
import type { IntegrationFields } from '../integration-fields';
import type { CommandMeta } from '../integration.repository';
import type { IntegrationJson } from '../integration.view';

export class CreateIntegrationCommand extends Command<IntegrationJson> {
  constructor(
    readonly integrationId: string,
    readonly fields: IntegrationFields,
    readonly setupType: SetupType,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
