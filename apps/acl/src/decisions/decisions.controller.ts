import { DecisionRequestSchema } from '@integrations/contracts';
import { parseInput } from '@integrations/service-kit';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { AclErrorCodes } from '../acl.errors';
import { DecisionService, type DecisionResponse } from './decision.service';

/** The single form predates the contract and lets `integrationId` be left out (anonymous). */
const singleDecisionRequest = DecisionRequestSchema.extend({
  integrationId: DecisionRequestSchema.shape.integrationId.optional(),
});

/**
 * `POST /decisions`: may this caller make this request, and where does it go? Always 200 with the
 * decision (the decision's own `status` is what the caller should answer); 400
 * ACL.INVALID_DECISION_REQUEST for a bad body. The batch form, on the hot path, is served before
 * Nest (decide-batch.listener.ts).
 */
@Controller('decisions')
export class DecisionsController {
  constructor(@Inject(DecisionService) private readonly decisions: DecisionService) {}

  @Post()
  @HttpCode(200)
  decide(@Body() body: unknown): Promise<DecisionResponse> {
    return this.decisions.decide(parseInput(singleDecisionRequest, body, AclErrorCodes.invalidDecisionRequest));
  }
}
