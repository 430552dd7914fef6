import { SignedCallSchema } from '@integrations/contracts';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { parseInput } from '@integrations/service-kit';
import type { TokenReply } from '../../verification/token-reply';
import { recordTokenReply } from '../../verification/verification-metrics';
import { RequestTokenHandler } from './request-token.handler';

/**
 * Internal (gateway only): the gateway forwards `POST /oauth/token/request` as received and relays
 * `{status, body}` as `application/x-www-form-urlencoded`.
 */
@Controller('oauth/verify')
export class RequestTokenController {
  constructor(private readonly handler: RequestTokenHandler) {}

  @Post('token-request')
  @HttpCode(200)
  async request(@Body() body: unknown): Promise<TokenReply> {
    const reply = await this.handler.execute(parseInput(SignedCallSchema, body));
    recordTokenReply('token-request', reply);
    return reply;
  }
}
