import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { parseInput } from '@integrations/service-kit';
import { z } from 'zod';
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
  })
  .strict();

@Controller('admin/v1/auth')
export class AdminAuthController {
  constructor(private readonly auth: AdminAuthService) {}

  @Post('login')
  @AdminPublic()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async login(@Body() body: unknown) {
    const { username, password } = parseInput(loginBody, body);
    const { accessToken, tokenType, expiresIn } = await this.auth.login(username, password);
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
