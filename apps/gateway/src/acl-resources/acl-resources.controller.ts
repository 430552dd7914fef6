import { AclResourcesReplySchema } from '@integrations/contracts';
import { Controller, Get, Res } from '@nestjs/common';
import { currentContext } from '@integrations/service-kit';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin, RequirePermission } from '../admin-auth/admin-session.guard';
import { InternalServiceClient } from '../settings/internal-service.client';

/** The acl service's admin side; its own class so that Nest injects it by type. */
export class AclAdminClient extends InternalServiceClient {}

/** `GET /admin/v1/acl/resources`: the resource tree the API tab shows, from the acl service. */
@Controller('admin/v1/acl')
@RequirePermission('integrations:read')
export class AclResourcesController {
  constructor(private readonly acl: AclAdminClient) {}

  @Get('resources')
  async resources(@CurrentAdmin() admin: AdminPrincipal, @Res({ passthrough: true }) res: Response) {
    const reply = await this.acl.call({
      method: 'GET',
      path: '/resources',
      actor: admin.username,
      correlationId: currentContext()?.correlationId ?? randomUUID(),
      reply: AclResourcesReplySchema,
    });
    res.status(reply.status);
    return reply.body;
  }
}
