import { RotateConsumerSecretRequestSchema, type RotateConsumerSecretReply } from '@integrations/contracts';
import { badRequest, currentContext, parseInput } from '@integrations/service-kit';
import { Body, Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RotateConsumerSecretHandler } from './rotate-consumer-secret.handler';

@Controller('integrations')
export class RotateConsumerSecretController {
  constructor(private readonly handler: RotateConsumerSecretHandler) {}

  /**
   * Internal (gateway only). 200 with the new secret (tokens mode, shown once) or without it
   * (exchange: POSTed to the callback URL); in force on every replica when this answers. 409
   * OAUTH.NO_CREDENTIALS without a consumer, OAUTH.ROTATION_IN_PROGRESS when another one runs.
   */
  @Post(':id/consumer-secret/rotation')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  rotate(@Param('id') integrationId: string, @Body() body: unknown): Promise<RotateConsumerSecretReply> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(integrationId))
      throw badRequest('REQUEST.INVALID', 'The integration id is not valid.');
    const request = parseInput(RotateConsumerSecretRequestSchema, body);
    const context = currentContext();
    return this.handler.execute(integrationId, request, {
      now: new Date(),
      actor: context?.actor || 'system',
      correlationId: context?.correlationId ?? randomUUID(),
    });
  }
}
