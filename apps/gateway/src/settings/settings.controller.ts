import { Body, Controller, Get, Inject, Put, Req, Res } from '@nestjs/common';
import { currentContext } from '@integrations/service-kit';
import { SettingsViewSchema } from '@integrations/contracts';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AdminAuthService, type AdminPrincipal } from '../admin-auth/admin-auth.service';
import { forbidden } from '../admin-auth/admin-auth.errors';
import { roleAllows } from '../admin-auth/admin-roles';
import { CurrentAdmin, RequirePermission } from '../admin-auth/admin-session.guard';
import { unsupportedMediaType } from '../integrations/integration-request.schemas';
import { CONFIG_CLIENT } from './settings.tokens';
import { InternalServiceClient } from './internal-service.client';
import { splitSettingsChange } from './security-settings';

/**
 * `GET|PUT /admin/v1/config` (admin session: the global guard), forwarded to the config service,
 * which owns the settings catalog and its validation: its answers, errors included, pass through.
 * The admin's username travels as `x-actor` and is recorded with the change in the config history.
 * Reading needs `config:read`, changing `config:write`, and a security setting (`STEP_UP_SETTING_PATHS`)
 * also `config:security` (administrators only).
 */
@Controller('admin/v1/config')
export class SettingsController {
  constructor(
    @Inject(CONFIG_CLIENT) private readonly config: InternalServiceClient,
    private readonly auth: AdminAuthService,
  ) {}

  @Get()
  @RequirePermission('config:read')
  async get(@CurrentAdmin() admin: AdminPrincipal, @Res({ passthrough: true }) res: Response) {
    const reply = await this.config.call({
      method: 'GET',
      path: '/config',
      actor: admin.username,
      correlationId: correlationId(),
      reply: SettingsViewSchema,
    });
    res.status(reply.status);
    return reply.body;
  }

  /**
   * Body `{values: {"<path>": value}, currentPassword?}`; all or nothing; answers every setting with
   * the new version. `currentPassword` is required when a security setting is among the values
   * (`STEP_UP_SETTING_PATHS`); a wrong one counts toward the lockout, like any change's.
   */
  @Put()
  @RequirePermission('config:write')
  async change(
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const hasContent = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasContent && !req.is('application/json')) throw unsupportedMediaType();
    const change = splitSettingsChange(body);
    // Before the password check: a refused role must not spend a password attempt, nor learn whether it was right.
    if (change.stepUpPaths.length > 0 && !roleAllows(admin.role, 'config:security'))
      throw forbidden(admin.role, 'config:security');
    if (change.stepUpPaths.length > 0) await this.auth.confirmCurrentPassword(admin, change.currentPassword);
    const reply = await this.config.call({
      method: 'PUT',
      path: '/config',
      body: change.forwarded,
      actor: admin.username,
      correlationId: correlationId(),
      reply: SettingsViewSchema,
    });
    res.status(reply.status);
    return reply.body;
  }
}

const correlationId = () => currentContext()?.correlationId ?? randomUUID();
