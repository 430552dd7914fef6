import { Controller, Get, Inject, Res } from '@nestjs/common';
import { currentContext } from '@integrations/service-kit';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin } from '../admin-auth/admin-session.guard';
import { InternalServiceClient } from '../settings/internal-service.client';
import { ACL_CLIENT } from './acl-resources.tokens';

/** `GET /admin/v1/acl/resources`: the resource tree the API tab shows, from the acl service. */
@Controller('admin/v1/acl')
export class AclResourcesController {
  constructor(@Inject(ACL_CLIENT) private readonly acl: InternalServiceClient) {}

  @Get('resources')
  async resources(@CurrentAdmin() admin: AdminPrincipal, @Res({ passthrough: true }) res: Response) {
    const reply = await this.acl.call({
      method: 'GET',
      path: '/resources',
      actor: admin.username,
      correlationId: currentContext()?.correlationId ?? randomUUID(),
    });
    res.status(reply.status);
    return reply.body;
  }
}
