import { Body, Controller, Get, Header, HttpCode, Inject, Patch, Post, Req, Res } from '@nestjs/common';
import { parseInput } from '@integrations/service-kit';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ClientAddressOf } from '../rate-limit/client-address';
import { CLIENT_ADDRESS } from '../rate-limit/rate-limit.tokens';
import { tooManySignIns } from '../rate-limit/rate-limit.replies';
import { RateLimits } from '../rate-limit/rate-limits';
import { AdminAccountsStore } from './admin-accounts.store';
import type { MeReply } from './admin-auth.replies';
import { AdminAuthService, type AdminPrincipal } from './admin-auth.service';
import { ROLE_PERMISSIONS } from './admin-roles';
import { AdminPublic, AnySignedInAdmin, CurrentAdmin } from './admin-session.guard';
import { INTERFACE_LOCALES } from './interface-locale';

export const loginBody = z
  .object({
    username: z
      .string({ error: 'username is required' })
      .min(1, 'username is required')
      .max(128, 'username is too long'),
    password: z
      .string({ error: 'password is required' })
      .min(1, 'password is required')
      .max(1024, 'password is too long'),
    /** Replaces the password in the same step; required for the generated bootstrap admin. */
    newPassword: z.string({ error: 'newPassword must be a string' }).max(1024, 'newPassword is too long').optional(),
  })
  .strict();

/** `PATCH /admin/v1/auth/me`: the signed-in admin's own preferences. */
export const ProfileChangeSchema = z.strictObject({
  interfaceLocale: z
    .enum(INTERFACE_LOCALES, { error: `interfaceLocale must be one of: ${INTERFACE_LOCALES.join(', ')}, or null` })
    .nullable()
    .meta({ description: "The admin's interface locale; null: not chosen (the browser's language applies)." }),
});

@Controller('admin/v1/auth')
export class AdminAuthController {
  constructor(
    private readonly auth: AdminAuthService,
    private readonly accounts: AdminAccountsStore,
    private readonly limits: RateLimits,
    @Inject(CLIENT_ADDRESS) private readonly clientAddress: ClientAddressOf,
  ) {}

  /** Rate-limited by client address, then by account, before any password is hashed (429 + Retry-After). */
  @Post('login')
  @AdminPublic()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async login(@Req() req: Request, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const { username, password, newPassword } = parseInput(loginBody, body);
    const verdict = await this.limits.consumeLogin(this.clientAddress(req), username);
    if (!verdict.allowed) {
      res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      throw tooManySignIns(verdict.retryAfterSeconds);
    }
    const { accessToken, tokenType, expiresIn } = await this.auth.login(username, password, newPassword);
    return { accessToken, tokenType, expiresIn };
  }

  @Post('logout')
  @HttpCode(204)
  @AnySignedInAdmin()
  async logout(@CurrentAdmin() admin: AdminPrincipal) {
    await this.auth.logout(admin);
  }

  /** Who is signed in, with the role and what it allows (the UI hides or disables actions by it). */
  @Get('me')
  @Header('Cache-Control', 'no-store')
  @AnySignedInAdmin()
  me(@CurrentAdmin() admin: AdminPrincipal): MeReply {
    return meReply(admin);
  }

  /** The admin's own interface locale, kept on the account (no password: it opens nothing). */
  @Patch('me')
  @Header('Cache-Control', 'no-store')
  @AnySignedInAdmin()
  async changeProfile(@Body() body: unknown, @CurrentAdmin() admin: AdminPrincipal): Promise<MeReply> {
    const { interfaceLocale } = parseInput(ProfileChangeSchema, body);
    await this.accounts.setInterfaceLocale(admin.username, interfaceLocale);
    return meReply({ ...admin, interfaceLocale });
  }
}

function meReply(admin: AdminPrincipal): MeReply {
  return {
    username: admin.username,
    role: admin.role,
    permissions: [...ROLE_PERMISSIONS[admin.role]],
    interfaceLocale: admin.interfaceLocale,
    expiresAt: admin.expiresAt.toISOString(),
  };
}
