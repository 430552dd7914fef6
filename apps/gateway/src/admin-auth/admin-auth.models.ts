import { Schema, type Connection, type Model } from 'mongoose';
import { ADMIN_ROLES, type AdminRole } from './admin-roles';
import { INTERFACE_LOCALES, type InterfaceLocale } from './interface-locale';

/** An admin account. `_id` is the normalized (lowercase) username. */
export interface AdminAccountDoc {
  _id: string;
  passwordHash: string;
  lockExpiresAt: Date | null;
  createdAt: Date;
  passwordChangedAt: Date;
  /**
   * Set on the generated bootstrap admin: its password has been in a file (and maybe on a screen),
   * so the first sign-in must choose a new one. Absent on older rows: false.
   */
  mustChangePassword?: boolean;
  /** What the admin may do (admin-roles.ts). Absent on accounts older than roles: `LEGACY_ROLE`. */
  role?: AdminRole;
  /**
   * Set when an administrator disabled the account: it cannot sign in, and its sessions stop at
   * their next request (the account is read on every request). Absent or null: enabled.
   */
  disabledAt?: Date | null;
  /** The admin's interface locale (null or absent: not chosen, the browser's language applies). */
  interfaceLocale?: InterfaceLocale | null;
}

/**
 * One change to an admin account, who made it and when: the audit trail administrators read
 * (`GET /admin/v1/admins/audit`). Inserted, never updated. `actor` is an admin username, `cli` for
 * `npm run admin:add`, or `system` for the bootstrap admin.
 */
export interface AdminAuditDoc {
  _id: string;
  at: Date;
  actor: string;
  action: AdminAuditAction;
  /** The account changed. */
  username: string;
  /** What changed, from what to what (`{role: {from, to}}`); never a password or a hash. */
  changes: Record<string, { from: unknown; to: unknown }>;
}

export const ADMIN_AUDIT_ACTIONS = [
  'account-created',
  'role-changed',
  'account-disabled',
  'account-enabled',
  'password-reset',
] as const;
export type AdminAuditAction = (typeof ADMIN_AUDIT_ACTIONS)[number];

/** A sign-in. `_id` is the SHA-256 (hex) of the bearer token; the token itself is never stored. */
export interface AdminSessionDoc {
  _id: string;
  username: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Integration id -> last version this session wrote (read-your-writes). */
  writes: Record<string, number>;
  /** The session's most recent write, which its next list waits for. */
  lastWrite: { id: string; version: number; at: Date } | null;
}

/**
 * One password attempt (sign-in or `currentPassword`), recorded before the password is checked and
 * deleted when one at or after it succeeds, so the collection holds the failed attempts and those
 * still in flight. Inserted, never counted with `$inc`: FerretDB (v1.24) applies update operators by
 * reading the document and writing it back, so concurrent `$inc`s can lose increments, while
 * concurrent inserts cannot (ADR 0003).
 */
export interface AdminPasswordFailureDoc {
  username: string;
  at: Date;
  /** `login` or `confirm` (currentPassword on a change), for the audit trail. */
  kind: 'login' | 'confirm';
}

const accountSchema = new Schema<AdminAccountDoc>(
  {
    _id: { type: String, required: true },
    passwordHash: { type: String, required: true },
    lockExpiresAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    passwordChangedAt: { type: Date, required: true },
    mustChangePassword: { type: Boolean, default: false },
    role: { type: String, enum: ADMIN_ROLES },
    disabledAt: { type: Date, default: null },
    interfaceLocale: { type: String, enum: [...INTERFACE_LOCALES, null], default: null },
  },
  { versionKey: false, strict: 'throw', autoIndex: false },
);

const sessionSchema = new Schema<AdminSessionDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    writes: { type: Schema.Types.Mixed, default: {} },
    lastWrite: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, strict: 'throw', autoIndex: false, minimize: false },
);
// No TTL index (FerretDB has none): a sweeper deletes expired rows, expiry is checked on each request.
sessionSchema.index({ expiresAt: 1 });
sessionSchema.index({ username: 1 });

const failureSchema = new Schema<AdminPasswordFailureDoc>(
  {
    username: { type: String, required: true },
    at: { type: Date, required: true },
    kind: { type: String, required: true, enum: ['login', 'confirm'] },
  },
  { versionKey: false, strict: 'throw', autoIndex: false },
);
failureSchema.index({ username: 1, at: 1 });
failureSchema.index({ at: 1 });

const auditSchema = new Schema<AdminAuditDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true, enum: ADMIN_AUDIT_ACTIONS },
    username: { type: String, required: true },
    changes: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, strict: 'throw', autoIndex: false, minimize: false },
);
auditSchema.index({ at: -1 });

export interface AdminAuthModels {
  accounts: Model<AdminAccountDoc>;
  sessions: Model<AdminSessionDoc>;
  failures: Model<AdminPasswordFailureDoc>;
  audit: Model<AdminAuditDoc>;
}

export function adminAuthModels(connection: Connection): AdminAuthModels {
  return {
    accounts: connection.model<AdminAccountDoc>('AdminAccount', accountSchema, 'admin_users'),
    sessions: connection.model<AdminSessionDoc>('AdminSession', sessionSchema, 'admin_sessions'),
    failures: connection.model<AdminPasswordFailureDoc>(
      'AdminPasswordFailure',
      failureSchema,
      'admin_password_failures',
    ),
    audit: connection.model<AdminAuditDoc>('AdminAudit', auditSchema, 'admin_audit'),
  };
}

export async function ensureAdminAuthIndexes(models: AdminAuthModels): Promise<void> {
  await Promise.all([models.sessions.createIndexes(), models.failures.createIndexes(), models.audit.createIndexes()]);
}
