import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { unauthenticated } from './admin-auth.errors';
import { AdminAuthService, type AdminPrincipal } from './admin-auth.service';
import { bearerTokenFrom } from './session-token';

/** Every controller whose path starts with this needs an admin session, unless marked public. */
export const ADMIN_API_PREFIX = 'admin/v1';

const ADMIN_PUBLIC = Symbol('ADMIN_PUBLIC');
/** Opts one admin route out of the session check (only the sign-in itself). */
export const AdminPublic = () => SetMetadata(ADMIN_PUBLIC, true);

type AdminRequest = Request & { admin?: AdminPrincipal };

/**
 * Registered globally and keyed on the matched controller's path rather than the URL, so a new
 * admin controller is protected without anyone remembering to add a guard, and URL tricks (case,
 * double slashes) cannot route around it.
 */
@Injectable()
export class AdminSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AdminAuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const controllerPath = String(this.reflector.get<string>(PATH_METADATA, context.getClass()) ?? '').replace(
      /^\/+/,
      '',
    );
    if (controllerPath !== ADMIN_API_PREFIX && !controllerPath.startsWith(`${ADMIN_API_PREFIX}/`)) return true;
    if (this.reflector.get<boolean>(ADMIN_PUBLIC, context.getHandler())) return true;
    const request = context.switchToHttp().getRequest<AdminRequest>();
    request.admin = await this.auth.authenticate(bearerTokenFrom(request.headers.authorization));
    return true;
  }
}

/** The signed-in admin of this request (set by `AdminSessionGuard`). */
export const CurrentAdmin = createParamDecorator((_: unknown, context: ExecutionContext): AdminPrincipal => {
  const admin = context.switchToHttp().getRequest<AdminRequest>().admin;
  if (!admin) throw unauthenticated('missing');
  return admin;
});
