import { z } from 'zod';

/** `POST /admin/v1/auth/login` (200): the session's bearer token. */
export const LoginReplySchema = z.object({
  accessToken: z.string().meta({ description: '43 characters, base64url.' }),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().meta({ description: 'Seconds of inactivity before the session expires.' }),
});

/** `GET /admin/v1/auth/me`: the signed-in admin, and when the session expires (it slides with use). */
export const MeReplySchema = z.object({
  username: z.string(),
  expiresAt: z.iso.datetime(),
});
