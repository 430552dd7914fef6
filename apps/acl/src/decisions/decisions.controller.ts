import { parseInput } from '@integrations/service-kit';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { z } from 'zod';
import { DecisionService, type DecisionResponse } from './decision.service';

const decisionRequest = z.strictObject({
  method: z.string().regex(/^[A-Za-z]{1,16}$/, 'must be an HTTP method, e.g. GET'),
  path: z.string().min(1).max(8192),
  integrationId: z.string().min(1).max(128).nullable().optional(),
});

/**
 * `POST /decisions`: may this caller make this request, and where does it go? Always 200 with the
 * decision (the decision's own `status` is what the caller should answer); 400 for a bad body.
 */
@Controller('decisions')
export class DecisionsController {
  constructor(@Inject(DecisionService) private readonly decisions: DecisionService) {}

  @Post()
  @HttpCode(200)
  decide(@Body() body: unknown): Promise<DecisionResponse> {
    return this.decisions.decide(parseInput(decisionRequest, body));
  }
}
