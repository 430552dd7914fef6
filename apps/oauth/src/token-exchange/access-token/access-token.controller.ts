import { SignedCallSchema } from '@integrations/contracts';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { parseInput } from '@integrations/service-kit';
import type { TokenReply } from '../../verification/token-reply';
import { recordTokenReply } from '../../verification/verification-metrics';
import { AccessTokenHandler } from './access-token.handler';

/** Internal (gateway only): `POST /oauth/token/access`, forwarded and relayed like the request-token call. */
@Controller('oauth/verify')
export class AccessTokenController {
  constructor(private readonly handler: AccessTokenHandler) {}

  @Post('token-access')
  @HttpCode(200)
  async access(@Body() body: unknown): Promise<TokenReply> {
    const reply = await this.handler.execute(parseInput(SignedCallSchema, body));
    recordTokenReply('token-access', reply);
    return reply;
  }
}
