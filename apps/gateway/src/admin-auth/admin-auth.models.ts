import { Schema, type Connection, type Model } from 'mongoose';

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
}

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

export interface AdminAuthModels {
  accounts: Model<AdminAccountDoc>;
  sessions: Model<AdminSessionDoc>;
  failures: Model<AdminPasswordFailureDoc>;
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
  };
}

export async function ensureAdminAuthIndexes(models: AdminAuthModels): Promise<void> {
  await Promise.all([models.sessions.createIndexes(), models.failures.createIndexes()]);
}
