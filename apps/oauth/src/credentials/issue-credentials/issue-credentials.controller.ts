import { IssueCredentialsRequestSchema, type IssueCredentialsReply } from '@integrations/contracts';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { badRequest, currentContext, parseInput } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import { IssueCredentialsHandler } from './issue-credentials.handler';

@Controller('integrations')
export class IssueCredentialsController {
  constructor(private readonly handler: IssueCredentialsHandler) {}

  /**
   * Internal (gateway only). 200 with the credentials (tokens) or the consumer key (exchange); the
   * credentials are in force on every replica when this answers.
   */
  @Post(':id/credentials')
  @HttpCode(200)
  issue(@Param('id') integrationId: string, @Body() body: unknown): Promise<IssueCredentialsReply> {
    // The id becomes a stream id and a Kafka key: keep it to what the registry issues.
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(integrationId))
      throw badRequest('REQUEST.INVALID', 'The integration id is not valid.');
    const request = parseInput(IssueCredentialsRequestSchema, body);
    const context = currentContext();
    return this.handler.execute(integrationId, request, {
      now: new Date(),
      actor: context?.actor || 'system',
      correlationId: context?.correlationId ?? randomUUID(),
    });
  }
}
