import {
  IntegrationJsonSchema,
  RotateConsumerSecretReplySchema,
  type RotateConsumerSecretRequest,
} from '@integrations/contracts';
import { conflict, currentContext } from '@integrations/service-kit';
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AdminAuthService, type AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin, RequirePermission } from '../admin-auth/admin-session.guard';
import { OauthAdminClient } from '../activation/activate-integration';
import { currentPasswordFrom } from '../activation/activation.request';
import { PublicBaseUrl } from '../activation/public-base-url';
import { integrationIdFrom, unsupportedMediaType } from '../integrations/integration-request.schemas';
import { readYourWrites } from '../integrations/read-your-writes';
import { RegistryClient } from '../integrations/registry.client';

/** The credentials POST of an exchange may wait for the partner (`oauth/consumer/post_timeout`, at most 60 s). */
const ROTATION_TIMEOUT_MS = 65_000;

/**
 * `POST /admin/v1/integrations/{id}/consumer-secret/rotate`, body `{currentPassword}` (checked and
 * counted toward the lockout, as for an activation): "Rotate consumer secret" on an active
 * integration. The consumer key and the access tokens stay. Without a token exchange (no callback
 * and identity link URLs) the new secret is in the reply, the one time it is shown (never cached,
 * never logged); with one it is POSTed to the callback URL like an activation's. The old secret
 * keeps signing for `oauth/consumer/secret_rotation_overlap` seconds (default 0). Needs
 * `integrations:write`.
 */
@Controller('admin/v1/integrations')
@RequirePermission('integrations:write')
export class RotateConsumerSecretController {
  constructor(
    private readonly registry: RegistryClient,
    private readonly oauth: OauthAdminClient,
    private readonly auth: AdminAuthService,
    private readonly publicBaseUrl: PublicBaseUrl,
  ) {}

  @Post(':id/consumer-secret/rotate')
  @HttpCode(200)
  async rotate(
    @Param('id') rawId: string,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    const hasContent = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasContent && !req.is('application/json')) throw unsupportedMediaType();
    await this.auth.confirmCurrentPassword(admin, currentPasswordFrom(body));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    const correlationId = currentContext()?.correlationId ?? randomUUID();
    const read = await this.registry.call({
      method: 'GET',
      path: `/integrations/${id}`,
      query: readYourWrites.forIntegration(admin, id),
      actor: admin.username,
      correlationId,
      reply: IntegrationJsonSchema,
    });
    if (!read.ok) {
      res.status(read.status);
      return read.body;
    }
    const integration = read.body;
    if (integration.status !== 'active') {
      throw conflict(
        'INTEGRATION.NOT_ACTIVE',
        `Integration "${integration.name}" is not active, so it has no consumer secret to rotate. Activate it first.`,
      );
    }
    const seen = { status: integration.status, version: integration.version };
    const request: RotateConsumerSecretRequest =
      integration.callbackUrl && integration.identityLinkUrl
        ? {
            mode: 'exchange',
            integration: seen,
            callbackUrl: integration.callbackUrl,
            storeBaseUrl: `${this.publicBaseUrl.get()}/`,
          }
        : { mode: 'tokens', integration: seen };
    const rotated = await this.oauth.call({
      method: 'POST',
      path: `/integrations/${id}/consumer-secret/rotation`,
      body: request,
      actor: admin.username,
      correlationId,
      timeoutMs: ROTATION_TIMEOUT_MS,
      reply: RotateConsumerSecretReplySchema,
    });
    res.status(rotated.status);
    return rotated.body;
  }
}
