import { z } from 'zod';
import { ADMIN_PERMISSIONS, ADMIN_ROLES } from './admin-roles';
import { INTERFACE_LOCALES } from './interface-locale';

/** `POST /admin/v1/auth/login` (200): the session's bearer token. */
export const LoginReplySchema = z.object({
  accessToken: z.string().meta({ description: '43 characters, base64url.' }),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().meta({ description: 'Seconds of inactivity before the session expires.' }),
});

export const AdminRoleSchema = z.enum(ADMIN_ROLES).meta({
  description:
    '`administrator`: everything, admin accounts included; `integrations-manager`: integrations and the settings that open no access; `viewer`: looks only (grid, integrations, history, Integration Details).',
});

/**
 * `GET /admin/v1/auth/me` (and `PATCH`): the signed-in admin, the role and what it allows as of this
 * request, the interface locale, and when the session expires (it slides with use).
 */
export const MeReplySchema = z.object({
  username: z.string(),
  role: AdminRoleSchema,
  permissions: z.array(z.enum(ADMIN_PERMISSIONS)),
  interfaceLocale: z.enum(INTERFACE_LOCALES).nullable(),
  expiresAt: z.iso.datetime(),
});
export type MeReply = z.infer<typeof MeReplySchema>;
