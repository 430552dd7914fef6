import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { parseInput } from '@integrations/service-kit';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ClientAddressOf } from '../rate-limit/client-address';
import { CLIENT_ADDRESS } from '../rate-limit/rate-limit.tokens';
import { tooManySignIns } from '../rate-limit/rate-limit.replies';
import { RateLimits } from '../rate-limit/rate-limits';
import { AdminAuthService, type AdminPrincipal } from './admin-auth.service';
import { AdminPublic, CurrentAdmin } from './admin-session.guard';

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

@Controller('admin/v1/auth')
export class AdminAuthController {
  constructor(
    private readonly auth: AdminAuthService,
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
  async logout(@CurrentAdmin() admin: AdminPrincipal) {
    await this.auth.logout(admin);
  }

  @Get('me')
  @Header('Cache-Control', 'no-store')
  me(@CurrentAdmin() admin: AdminPrincipal) {
    return { username: admin.username, expiresAt: admin.expiresAt.toISOString() };
  }
}
