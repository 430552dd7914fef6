import { CredentialDetailsReplySchema, type CredentialDetailsReply } from '@integrations/contracts';
import { currentContext } from '@integrations/service-kit';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin, RequirePermission } from '../admin-auth/admin-session.guard';
import { OauthAdminClient } from '../activation/activate-integration';
import { integrationIdFrom } from '../integrations/integration-request.schemas';
import { RegistryClient } from '../integrations/registry.client';

/**
 * `GET /admin/v1/integrations/{id}/details`: Integration Details, as Magento's Edit page shows them,
 * without the secrets (shown once, when issued): the consumer key in full, the access token's last
 * 4 characters, when each was issued and last used. From the oauth service over its internal
 * contract, checked there and here (CredentialDetailsReplySchema). An integration the registry does
 * not know is its 404; `consumer: null` when it has no credentials yet. Any role may read it.
 */
@Controller('admin/v1/integrations')
@RequirePermission('integrations:read')
export class IntegrationDetailsController {
  constructor(
    private readonly registry: RegistryClient,
    private readonly oauth: OauthAdminClient,
  ) {}

  @Get(':id/details')
  @Header('Cache-Control', 'no-store')
  async details(
    @Param('id') rawId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CredentialDetailsReply | unknown> {
    const id = integrationIdFrom(rawId);
    const correlationId = currentContext()?.correlationId ?? randomUUID();
    // Whether the registry knows the integration: its 404 (or its trouble) is passed through.
    const known = await this.registry.call({
      method: 'GET',
      path: `/integrations/${id}`,
      actor: admin.username,
      correlationId,
      // Only the status matters here.
      reply: z.unknown(),
    } as Parameters<RegistryClient['call']>[0]);
    if (known.status !== 200) {
      res.status(known.status);
      return known.body;
    }
    const reply = await this.oauth.call({
      method: 'GET',
      path: `/integrations/${id}/credential-details`,
      actor: admin.username,
      correlationId,
      reply: CredentialDetailsReplySchema,
    });
    res.status(reply.status);
    return reply.body;
  }
}
