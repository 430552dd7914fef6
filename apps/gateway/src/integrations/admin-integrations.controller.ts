import { Body, Controller, Delete, Get, Headers, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { currentContext } from '@integrations/service-kit';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AdminAuthService, type AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin } from '../admin-auth/admin-session.guard';
import { CLOCK, type Clock } from '../gateway.tokens';
import {
  deleteQueryFrom,
  historyQueryFrom,
  ifMatchFrom,
  integrationIdFrom,
  listQueryFrom,
  splitChangeBody,
  unsupportedMediaType,
} from './integration-request.schemas';
import { readYourWrites, writtenVersion } from './read-your-writes';
import { READ_YOUR_WRITES_HEADER, RegistryClient, type RegistryCall, type RegistryReply } from './registry.client';

/**
 * The admin integrations API (docs/architecture.md, "Public HTTP"): checks the session (global guard), the shape of ids and
 * queries and the admin's current password, then forwards to the registry and passes its answer
 * through, errors included.
 */
@Controller('admin/v1/integrations')
export class AdminIntegrationsController {
  constructor(
    private readonly registry: RegistryClient,
    private readonly auth: AdminAuthService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @Query() query: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const filters = listQueryFrom(query);
    return this.forward(res, admin, {
      method: 'GET',
      path: '/integrations',
      query: { ...filters, ...readYourWrites.forList(admin, this.clock()) },
    });
  }

  @Post()
  async create(
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const change = await this.confirmedChange(req, body, admin);
    return this.forward(res, admin, { method: 'POST', path: '/integrations', body: change });
  }

  @Get(':id')
  async get(
    @Param('id') rawId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    return this.forward(res, admin, {
      method: 'GET',
      path: `/integrations/${id}`,
      query: readYourWrites.forIntegration(admin, id),
    });
  }

  @Put(':id')
  async update(
    @Param('id') rawId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    const expected = ifMatchFrom(ifMatch);
    const change = await this.confirmedChange(req, body, admin);
    return this.forward(res, admin, { method: 'PUT', path: `/integrations/${id}`, body: change, ifMatch: expected });
  }

  // Magento does not ask for the password to delete (only a confirmation dialog), nor does docs/architecture.md.
  @Delete(':id')
  async remove(
    @Param('id') rawId: string,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    const { expectedVersion } = deleteQueryFrom(query);
    const call = {
      method: 'DELETE',
      path: `/integrations/${id}`,
      query: { expectedVersion },
      ifMatch: ifMatchFrom(ifMatch),
    } as const;
    return this.forward(res, admin, call, id);
  }

  @Get(':id/history')
  async history(
    @Param('id') rawId: string,
    @Query() query: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = integrationIdFrom(rawId);
    const paging = historyQueryFrom(query);
    return this.forward(res, admin, { method: 'GET', path: `/integrations/${id}/history`, query: paging });
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

  private async forward(
    res: Response,
    admin: AdminPrincipal,
    call: Omit<RegistryCall, 'actor' | 'correlationId'>,
    /** The integration the path names, for replies that do not repeat it. */
    knownId?: string,
  ) {
    const reply: RegistryReply = await this.registry.call({
      ...call,
      actor: admin.username,
      correlationId: currentContext()?.correlationId ?? randomUUID(),
    });
    const written = call.method === 'GET' ? undefined : writtenVersion(reply.status, reply.body, knownId);
    if (written) {
      await this.auth.recordWrite(admin, written.id, written.version);
      if (call.method === 'POST') res.setHeader('Location', `/admin/v1/integrations/${written.id}`);
    }
    // Tells the client the page may predate its last write (the registry timed out waiting).
    if (reply.readYourWrites) res.setHeader(READ_YOUR_WRITES_HEADER, reply.readYourWrites);
    res.status(reply.status);
    return reply.body;
  }
}
