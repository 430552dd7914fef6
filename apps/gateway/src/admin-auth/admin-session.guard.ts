import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { forbidden, unauthenticated } from './admin-auth.errors';
import { AdminAuthService, type AdminPrincipal } from './admin-auth.service';
import { type AdminPermission, roleAllows } from './admin-roles';
import { bearerTokenFrom } from './session-token';

/** Every controller whose path starts with this needs an admin session, unless marked public. */
export const ADMIN_API_PREFIX = 'admin/v1';

const ADMIN_PUBLIC = Symbol('ADMIN_PUBLIC');
/** Opts one admin route out of the session check (only the sign-in itself). */
export const AdminPublic = () => SetMetadata(ADMIN_PUBLIC, true);

const ADMIN_PERMISSION = Symbol('ADMIN_PERMISSION');
/** What a signed-in admin needs for this route or controller (admin-roles.ts); checked after the session. */
export const RequirePermission = (permission: AdminPermission) => SetMetadata(ADMIN_PERMISSION, permission);
/** Any signed-in admin, whatever the role (their own session and profile). */
export const AnySignedInAdmin = () => SetMetadata(ADMIN_PERMISSION, ANY_ADMIN);
const ANY_ADMIN = 'any-signed-in-admin';

/**
 * What a route nobody classified needs: administrators only. A new admin route is safe before anyone
 * thinks about roles; the role matrix test (`admin-roles.int-spec.ts`) fails until it is classified.
 */
export const UNCLASSIFIED_ROUTE_PERMISSION: AdminPermission = 'admins:manage';

type AdminRequest = Request & { admin?: AdminPrincipal };

/** The permission a route handler needs (`undefined` for any signed-in admin); for the guard and the tests. */
export function permissionOf(reflector: Reflector, handler: object, controller: object): AdminPermission | undefined {
  const declared = reflector.getAllAndOverride<AdminPermission | typeof ANY_ADMIN | undefined>(ADMIN_PERMISSION, [
    handler as never,
    controller as never,
  ]);
  if (declared === ANY_ADMIN) return undefined;
  return declared ?? UNCLASSIFIED_ROUTE_PERMISSION;
}

/**
 * Registered globally and keyed on the matched controller's path rather than the URL, so a new
 * admin controller is protected without anyone remembering to add a guard, and URL tricks (case,
 * double slashes) cannot route around it. After the session, the role: a route's permission
 * (`@RequirePermission`) is checked before any pipe reads the body or a handler runs, so a refusal
 * (403 ADMIN.FORBIDDEN) changes nothing.
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
    const admin = await this.auth.authenticate(bearerTokenFrom(request.headers.authorization));
    request.admin = admin;
    const permission = permissionOf(this.reflector, context.getHandler(), context.getClass());
    if (permission && !roleAllows(admin.role, permission)) throw forbidden(admin.role, permission);
    return true;
  }
}

/** The signed-in admin of this request (set by `AdminSessionGuard`). */
export const CurrentAdmin = createParamDecorator((_: unknown, context: ExecutionContext): AdminPrincipal => {
  const admin = context.switchToHttp().getRequest<AdminRequest>().admin;
  if (!admin) throw unauthenticated('missing');
  return admin;
});
