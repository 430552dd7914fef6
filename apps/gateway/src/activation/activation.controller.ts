import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { currentContext } from '@integrations/service-kit';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AdminAuthService, type AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin, RequirePermission } from '../admin-auth/admin-session.guard';
import { integrationIdFrom, unsupportedMediaType } from '../integrations/integration-request.schemas';
import { ActivateIntegration, type ActivationIntent } from './activate-integration';
import { currentPasswordFrom } from './activation.request';

/**
 * `POST /admin/v1/integrations/{id}/activate` and `/reauthorize`, body `{currentPassword}` (checked,
 * and counted toward lockout, as for create and update). 200 with the four credentials (no exchange)
 * or 202 with the identity link (exchange); never cached, never logged. Needs `integrations:write`.
 */
@Controller('admin/v1/integrations')
@RequirePermission('integrations:write')
export class ActivationController {
  constructor(
    private readonly activation: ActivateIntegration,
    private readonly auth: AdminAuthService,
  ) {}

  @Post(':id/activate')
  @HttpCode(200)
  activate(
    @Param('id') rawId: string,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('activate', rawId, req, body, admin, res);
  }

  @Post(':id/reauthorize')
  @HttpCode(200)
  reauthorize(
    @Param('id') rawId: string,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('reauthorize', rawId, req, body, admin, res);
  }

  private async run(
    intent: ActivationIntent,
    rawId: string,
    req: Request,
    body: unknown,
    admin: AdminPrincipal,
    res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    const hasContent = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasContent && !req.is('application/json')) throw unsupportedMediaType();
    await this.auth.confirmCurrentPassword(admin, currentPasswordFrom(body));
    const reply = await this.activation.execute(admin, id, intent, currentContext()?.correlationId ?? randomUUID());
    // The only place the secrets are ever shown: no cache may keep them.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    res.status(reply.status);
    return reply.body;
  }
}
