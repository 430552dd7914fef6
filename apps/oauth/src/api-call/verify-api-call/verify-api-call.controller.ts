import {
  REFUSAL_ATTRIBUTION_HEADER,
  SignedCallSchema,
  VerifyBatchRequestSchema,
  type ApiCallVerdict,
  type VerifyBatchReply,
} from '@integrations/contracts';
import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { parseInput } from '@integrations/service-kit';
import { recordVerdict } from '../../verification/verification-metrics';
import { VerifyApiCallHandler } from './verify-api-call.handler';

/**
 * Internal (gateway only): whose valid credentials signed this protected API call? 200 with a
 * verdict `{ok: true, integrationId, consumerKey, scheme}` or `{ok: false, status, code, problem}`
 * (with the `integrationId` the credentials named, when known and REFUSAL_ATTRIBUTION_HEADER was sent);
 * 400 when the body is not a SignedCall / VerifyBatchRequest; 503 when the oauth database does not
 * answer (nothing can be vouched for).
 */
@Controller('oauth/verify')
export class VerifyApiCallController {
  constructor(private readonly handler: VerifyApiCallHandler) {}

  @Post('api-call')
  @HttpCode(200)
  async verify(
    @Body() body: unknown,
    @Headers(REFUSAL_ATTRIBUTION_HEADER) attribution?: string,
  ): Promise<ApiCallVerdict> {
    const verdict = await this.handler.execute(parseInput(SignedCallSchema, body), attribution !== undefined);
    recordVerdict('api-call', verdict);
    return verdict;
  }

  /** The gateway's batch: every call waiting in one turn of its event loop; verdicts in order. */
  @Post('api-calls')
  @HttpCode(200)
  async verifyBatch(
    @Body() body: unknown,
    @Headers(REFUSAL_ATTRIBUTION_HEADER) attribution?: string,
  ): Promise<VerifyBatchReply> {
    const { calls } = parseInput(VerifyBatchRequestSchema, body);
    const verdicts = await this.handler.executeBatch(calls, attribution !== undefined);
    for (const verdict of verdicts) recordVerdict('api-call', verdict);
    return { verdicts };
  }
}
