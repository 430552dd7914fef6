import { All, Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ProtectedApiGate } from './protected-api.gate';
import type { RequestWithRawBody } from './upstream-proxy';

/** The protected commerce API: `/rest/V1/...` and `/rest/<store>/V1/...`, any method. */
@Controller('rest')
export class ProtectedApiController {
  constructor(@Inject(ProtectedApiGate) private readonly gate: ProtectedApiGate) {}

  @All('*path')
  handle(@Req() req: RequestWithRawBody, @Res() res: Response): Promise<void> {
    return this.gate.handleRestCall(req, res);
  }
}

/** `GET /auth/decision` for NGINX auth_request (docs/nginx-auth-request.md). Internal: not exposed by NGINX. */
@Controller('auth')
export class AuthDecisionController {
  constructor(@Inject(ProtectedApiGate) private readonly gate: ProtectedApiGate) {}

  @Get('decision')
  decide(@Req() req: RequestWithRawBody, @Res() res: Response): Promise<void> {
    return this.gate.handleDecision(req, res);
  }
}
