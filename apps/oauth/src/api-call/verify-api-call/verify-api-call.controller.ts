import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { parseInput } from '@integrations/service-kit';
import { signedRequestSchema } from '../../verification/signed-request';
import { recordVerdict } from '../../verification/verification-metrics';
import type { ApiCallVerdict } from './api-call-verdict';
import { VerifyApiCallHandler } from './verify-api-call.handler';

/**
 * Internal (gateway only): is this protected API call signed by an active integration? Always 200;
 * the verdict says `{ok: true, integrationId, consumerKey}` or `{ok: false, status, code, problem}`.
 */
@Controller('oauth/verify')
export class VerifyApiCallController {
  constructor(private readonly handler: VerifyApiCallHandler) {}

  @Post('api-call')
  @HttpCode(200)
  async verify(@Body() body: unknown): Promise<ApiCallVerdict> {
    const verdict = await this.handler.execute(parseInput(signedRequestSchema, body));
    recordVerdict('api-call', verdict);
    return verdict;
  }
}
