import {
  IntegrationUsageQuerySchema,
  IntegrationUsageSchema,
  USAGE_RETENTION_DAYS,
  type IntegrationUsage,
} from '@integrations/contracts';
import { currentContext, parseInput } from '@integrations/service-kit';
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin, RequirePermission } from '../admin-auth/admin-session.guard';
import { CLOCK, type Clock } from '../gateway.tokens';
import { integrationIdFrom } from '../integrations/integration-request.schemas';
import { RegistryClient } from '../integrations/registry.client';
import { usageReport, windowStart } from './integration-usage.report';
import { UsageDaysStore } from './usage-days.store';

/**
 * `GET /admin/v1/integrations/{id}/usage?days=30`: the integration's calls per UTC day, its last
 * call and its refusals by reason, summed over every gateway replica's documents. The id and the
 * query are checked first (400 REQUEST.INVALID naming the field); an integration the registry does
 * not know is its 404.
 */
@Controller('admin/v1/integrations')
@RequirePermission('integrations:read')
export class IntegrationUsageController {
  constructor(
    private readonly registry: RegistryClient,
    private readonly store: UsageDaysStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id/usage')
  async usage(
    @Param('id') rawId: string,
    @Query() query: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IntegrationUsage | unknown> {
    const id = integrationIdFrom(rawId);
    const { days = USAGE_RETENTION_DAYS } = parseInput(IntegrationUsageQuerySchema, query);
    // Whether the registry knows the integration: its 404 (or its trouble) is passed through.
    const known = await this.registry.call({
      method: 'GET',
      path: `/integrations/${id}`,
      actor: admin.username,
      correlationId: currentContext()?.correlationId ?? randomUUID(),
      // Only the status matters here: whatever integration JSON the registry answers will do.
      reply: z.unknown(),
    } as Parameters<RegistryClient['call']>[0]);
    if (known.status !== 200) {
      res.status(known.status);
      return known.body;
    }
    const now = this.clock().getTime();
    const documents = await this.store.read(id, windowStart(now, days));
    return IntegrationUsageSchema.parse(usageReport(id, documents, now, days));
  }
}
