import { queryInteger } from '@integrations/contracts';
import { z } from 'zod';
import { ADMIN_AUDIT_ACTIONS } from '../admin-auth/admin-auth.models';
import { AdminRoleSchema } from '../admin-auth/admin-auth.replies';
import { ADMIN_ROLES } from '../admin-auth/admin-roles';
import { INTERFACE_LOCALES } from '../admin-auth/interface-locale';
import { CurrentPasswordSchema } from '../integrations/integration-request.schemas';

/** An admin account as administrators see it (`GET /admin/v1/admins`); never a password or a hash. */
export const AdminAccountJsonSchema = z.object({
  username: z.string(),
  role: AdminRoleSchema,
  disabled: z.boolean(),
  disabledAt: z.iso.datetime().nullable(),
  /** Set while too many failed passwords keep the account locked. */
  lockedUntil: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  passwordChangedAt: z.iso.datetime(),
  interfaceLocale: z.enum(INTERFACE_LOCALES).nullable(),
});
export type AdminAccountJson = z.infer<typeof AdminAccountJsonSchema>;

export const AdminAccountListSchema = z.object({ items: z.array(AdminAccountJsonSchema) });

/**
 * `PATCH /admin/v1/admins/{username}`: a new role, disabling or enabling, or both; always with the
 * administrator's own password (step-up).
 */
export const ChangeAdminAccountSchema = z
  .strictObject({
    role: z.enum(ADMIN_ROLES, { error: `role must be one of: ${ADMIN_ROLES.join(', ')}` }).optional(),
    disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
    currentPassword: CurrentPasswordSchema,
  })
  .refine((change) => change.role !== undefined || change.disabled !== undefined, {
    error: 'Say what to change: "role", "disabled", or both.',
    path: ['role'],
  });
export type ChangeAdminAccount = z.infer<typeof ChangeAdminAccountSchema>;

/** `GET /admin/v1/admins/audit`: newest first. */
export const AdminAuditQuerySchema = z.strictObject({
  page: queryInteger('page', { max: 1_000_000 }).default(1),
  pageSize: queryInteger('pageSize', { max: 200 }).default(50),
});

export const AdminAuditEntrySchema = z.object({
  at: z.iso.datetime(),
  actor: z
    .string()
    .meta({ description: 'The administrator who made the change, `cli` (npm run admin:add) or `system`.' }),
  action: z.enum(ADMIN_AUDIT_ACTIONS),
  username: z.string().meta({ description: 'The account changed.' }),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
});

export const AdminAuditPageSchema = z.object({
  items: z.array(AdminAuditEntrySchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});
