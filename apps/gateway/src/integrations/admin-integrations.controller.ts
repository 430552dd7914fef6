import {
  DeleteIntegrationQuerySchema,
  ExpectedVersionSchema,
  ifMatchFor,
  IntegrationDeletedReplySchema,
  IntegrationHistoryPageSchema,
  IntegrationHistoryQuerySchema,
  IntegrationJsonSchema,
  IntegrationListFiltersSchema,
  IntegrationListPageSchema,
  InternalHeaders,
  type ListIntegrationsQuery,
} from '@integrations/contracts';
import { Body, Controller, Delete, Get, Headers, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { currentContext, parseInput } from '@integrations/service-kit';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AdminAuthService, type AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin, RequirePermission } from '../admin-auth/admin-session.guard';
import { CLOCK, type Clock } from '../gateway.tokens';
import type { InternalCall } from '../settings/internal-service.client';
import { integrationIdFrom, splitChangeBody, unsupportedMediaType } from './integration-request.schemas';
import { readYourWrites } from './read-your-writes';
import { RegistryClient } from './registry.client';

type RegistryCall<T> = Omit<InternalCall<T>, 'actor' | 'correlationId'>;

/**
 * The admin integrations API: checks the session (global guard), the shape of ids, queries and
 * If-Match (with the registry's own contracts) and the admin's current password, then forwards to
 * the registry and passes its answer through, errors included, once it matched its contract.
 * Reading needs `integrations:read` (every role), changing `integrations:write` (not viewers).
 */
@Controller('admin/v1/integrations')
@RequirePermission('integrations:read')
export class AdminIntegrationsController {
  constructor(
    private readonly registry: RegistryClient,
    private readonly auth: AdminAuthService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Query() raw: unknown, @CurrentAdmin() admin: AdminPrincipal, @Res({ passthrough: true }) res: Response) {
    const query: ListIntegrationsQuery = {
      ...parseInput(IntegrationListFiltersSchema, raw),
      ...readYourWrites.forList(admin, this.clock()),
    };
    return this.read(res, admin, { method: 'GET', path: '/integrations', query, reply: IntegrationListPageSchema });
  }

  @Post()
  @RequirePermission('integrations:write')
  async create(
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const change = await this.confirmedChange(req, body, admin);
    const reply = await this.command(res, admin, {
      method: 'POST',
      path: '/integrations',
      body: change,
      reply: IntegrationJsonSchema,
    });
    if (reply.ok) res.setHeader('Location', `/admin/v1/integrations/${reply.body.id}`);
    return reply.body;
  }

  @Get(':id')
  async get(
    @Param('id') rawId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    return this.read(res, admin, {
      method: 'GET',
      path: `/integrations/${id}`,
      query: readYourWrites.forIntegration(admin, id),
      reply: IntegrationJsonSchema,
    });
  }

  @Put(':id')
  @RequirePermission('integrations:write')
  async update(
    @Param('id') rawId: string,
    @Headers(InternalHeaders.ifMatch) ifMatch: string | undefined,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    // The body's `expectedVersion` is checked against it by the registry, which reads the body.
    const expected = parseInput(ExpectedVersionSchema, { 'If-Match': ifMatch });
    const change = await this.confirmedChange(req, body, admin);
    const reply = await this.command(res, admin, {
      method: 'PUT',
      path: `/integrations/${id}`,
      body: change,
      ifMatch: expected === undefined ? undefined : ifMatchFor(expected),
      reply: IntegrationJsonSchema,
    });
    return reply.body;
  }

  // Magento does not ask for the password to delete (only a confirmation dialog).
  @Delete(':id')
  @RequirePermission('integrations:write')
  async remove(
    @Param('id') rawId: string,
    @Query() query: unknown,
    @Headers(InternalHeaders.ifMatch) ifMatch: string | undefined,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    const { expectedVersion } = parseInput(DeleteIntegrationQuerySchema, query);
    const expected = parseInput(ExpectedVersionSchema, { 'If-Match': ifMatch, expectedVersion });
    const reply = await this.command(res, admin, {
      method: 'DELETE',
      path: `/integrations/${id}`,
      ifMatch: expected === undefined ? undefined : ifMatchFor(expected),
      reply: IntegrationDeletedReplySchema,
    });
    return reply.body;
  }

  /**
   * Suspend / Resume (docs/adr/0010): with the admin's password, like every other change. A
   * suspension is in force on every gateway before this answer (the registry holds it at the acl);
   * repeating one changes nothing.
   */
  @Post(':id/suspend')
  @RequirePermission('integrations:write')
  suspend(
    @Param('id') rawId: string,
    @Headers(InternalHeaders.ifMatch) ifMatch: string | undefined,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.suspension('suspend', rawId, ifMatch, req, body, admin, res);
  }

  @Post(':id/resume')
  @RequirePermission('integrations:write')
  resume(
    @Param('id') rawId: string,
    @Headers(InternalHeaders.ifMatch) ifMatch: string | undefined,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.suspension('resume', rawId, ifMatch, req, body, admin, res);
  }

  private async suspension(
    action: 'suspend' | 'resume',
    rawId: string,
    ifMatch: string | undefined,
    req: Request,
    body: unknown,
    admin: AdminPrincipal,
    res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    const expected = parseInput(ExpectedVersionSchema, { 'If-Match': ifMatch });
    const change = await this.confirmedChange(req, body ?? {}, admin);
    const reply = await this.command(res, admin, {
      method: 'POST',
      path: `/integrations/${id}/${action}`,
      body: change,
      ifMatch: expected === undefined ? undefined : ifMatchFor(expected),
      reply: IntegrationJsonSchema,
    });
    return reply.body;
  }

  @Get(':id/history')
  async history(
    @Param('id') rawId: string,
    @Query() query: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    return this.read(res, admin, {
      method: 'GET',
      path: `/integrations/${id}/history`,
      query: parseInput(IntegrationHistoryQuerySchema, query),
      reply: IntegrationHistoryPageSchema,
    });
  }

  /** Content type, body shape and `currentPassword`; returns the body without the password. */
  private async confirmedChange(req: Request, body: unknown, admin: AdminPrincipal): Promise<Record<string, unknown>> {
    // An empty body is a shape problem (400 below), not a media type one.
    const hasContent = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasContent && !req.is('application/json')) throw unsupportedMediaType();
    const { currentPassword, change } = splitChangeBody(body);
    await this.auth.confirmCurrentPassword(admin, currentPassword);
    return change;
  }

  private async read<T>(res: Response, admin: AdminPrincipal, call: RegistryCall<T>) {
    const reply = await this.forward(res, admin, call);
    // Tells the client the page may predate its last write (the registry timed out waiting).
    if (reply.ok && reply.readYourWrites) res.setHeader(InternalHeaders.readYourWrites, reply.readYourWrites);
    return reply.body;
  }

  /** A change: the session remembers the version it produced, so that its next reads wait for it. */
  private async command<T extends { id: string; version: number }>(
    res: Response,
    admin: AdminPrincipal,
    call: RegistryCall<T>,
  ) {
    const reply = await this.forward(res, admin, call);
    if (reply.ok) await this.auth.recordWrite(admin, reply.body.id, reply.body.version);
    return reply;
  }

  private async forward<T>(res: Response, admin: AdminPrincipal, call: RegistryCall<T>) {
    const reply = await this.registry.call({
      ...call,
      actor: admin.username,
      correlationId: currentContext()?.correlationId ?? randomUUID(),
    });
    res.status(reply.status);
    return reply;
  }
}
