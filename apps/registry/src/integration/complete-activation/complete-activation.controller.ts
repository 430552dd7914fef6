import {
  type CompleteActivationReply,
  CompleteActivationReplySchema,
  CompleteActivationRequestSchema,
} from '@integrations/contracts';
import { currentContext } from '@integrations/service-kit';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound, parseRequest } from '../integration.errors';
import { CompleteActivationCommand } from './complete-activation.command';

@Controller('integrations')
export class CompleteActivationController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Sent by the oauth service once a partner exchanged its request token, before it answers the
   * partner (docs/adr/0006 §2): the activation, and the access snapshot at the acl, are in force
   * when this replies. Every outcome is a 200; only `completed` changed something.
   */
  @Post(':id/activation/completion')
  @HttpCode(200)
  async complete(@Param('id') id: string, @Body() body: unknown): Promise<CompleteActivationReply> {
    const { grantId } = parseRequest(CompleteActivationRequestSchema, body);
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    const outcome = await this.commandBus.execute(
      new CompleteActivationCommand({
        integrationId: id,
        eventId: grantId,
        correlationId: currentContext()?.correlationId ?? grantId,
      }),
    );
    return CompleteActivationReplySchema.parse(
      outcome.kind === 'completed' ? { outcome: 'completed', version: outcome.version } : { outcome: outcome.kind },
    );
  }
}
