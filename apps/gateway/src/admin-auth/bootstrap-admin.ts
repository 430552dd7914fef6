import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { randomInt } from 'node:crypto';
import type { Logger } from '@integrations/service-kit';
import { AdminAccountRejected, type AdminAccountsStore } from './admin-accounts.store';
import type { AdminAuditStore } from './admin-audit.store';
import { verifyPassword } from './password-hashing';

export const GENERATED_ADMIN_USERNAME = 'admin';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 24 characters of a 56-letter alphabet without look-alikes: ~139 bits. */
export function generateAdminPassword(): string {
  return Array.from({ length: 24 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

export interface BootstrapAdminOptions {
  accounts: AdminAccountsStore;
  /** Where the creation is recorded (actor `system`). */
  audit: AdminAuditStore;
  configured?: { username: string; password: string };
  credentialsFile: string;
  now: Date;
  logger: Logger;
  /** Where the one-time banner goes (stdout). */
  print: (text: string) => void;
  /**
   * Whether `print` reaches a person at a terminal. When it does not (a container, a pipe, a log
   * collector), the password is never printed: only the file holds it.
   */
  interactive: boolean;
}

export type BootstrapOutcome = 'created-from-env' | 'kept-existing' | 'generated' | 'nothing-to-do';

/**
 * Makes sure someone can sign in after the first start, as an administrator:
 * - ADMIN_USERNAME/ADMIN_PASSWORD set: create that admin if missing. An existing admin keeps its
 *   password even when ADMIN_PASSWORD differs (a restart with a stale variable must not undo a
 *   password change); we warn and point at `npm run admin:add -- <name> --reset`.
 * - Otherwise, when no admin exists at all: generate one, write its password to
 *   ADMIN_CREDENTIALS_FILE (mode 600), and print it once only on an interactive terminal (never
 *   into container logs). The generated password must be replaced at the first sign-in.
 */
export async function bootstrapAdmin(options: BootstrapAdminOptions): Promise<BootstrapOutcome> {
  const { accounts, configured, logger, now } = options;
  if (configured) {
    let outcome: 'created' | 'exists';
    try {
      outcome = await accounts.create(configured.username, configured.password, now, { role: 'administrator' });
    } catch (error) {
      if (error instanceof AdminAccountRejected) {
        throw new Error(`gateway: invalid configuration:\n  - ADMIN_USERNAME/ADMIN_PASSWORD: ${error.message}`);
      }
      throw error;
    }
    if (outcome === 'created') {
      await recordCreation(options, configured.username);
      logger.info({ username: configured.username }, 'bootstrap admin created from ADMIN_USERNAME/ADMIN_PASSWORD');
      return 'created-from-env';
    }
    const existing = await accounts.find(configured.username);
    if (existing && !(await verifyPassword(configured.password, existing.passwordHash))) {
      logger.warn(
        { username: configured.username },
        'ADMIN_PASSWORD differs from the stored password of this admin; the stored password is kept. ' +
          `To change it run: npm run admin:add -- ${configured.username} --reset`,
      );
    }
    return 'kept-existing';
  }

  if (await accounts.exists()) return 'nothing-to-do';
  const password = generateAdminPassword();
  // Two replicas starting together: the unique _id lets one create it; only that one prints.
  const created = await accounts.create(GENERATED_ADMIN_USERNAME, password, now, {
    role: 'administrator',
    mustChangePassword: true,
  });
  if (created === 'exists') return 'nothing-to-do';
  await recordCreation(options, GENERATED_ADMIN_USERNAME);
  const file = resolve(options.credentialsFile);
  await writeCredentialsFile(file, { username: GENERATED_ADMIN_USERNAME, password });
  if (options.interactive) options.print(banner(GENERATED_ADMIN_USERNAME, password, file));
  logger.info(
    { username: GENERATED_ADMIN_USERNAME, credentialsFile: file },
    'bootstrap admin generated: its one-time password is in the credentials file and must be changed at the first sign-in',
  );
  return 'generated';
}

function recordCreation({ audit, now }: BootstrapAdminOptions, username: string): Promise<void> {
  return audit.record({
    at: now,
    actor: 'system',
    action: 'account-created',
    username: username.trim().toLowerCase(),
    changes: { role: { from: null, to: 'administrator' } },
  });
}

async function writeCredentialsFile(file: string, credentials: { username: string; password: string }) {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // `mode` only applies when the file is new; an older file may have looser permissions.
  await chmod(file, 0o600);
}

function banner(username: string, password: string, file: string): string {
  const line = '='.repeat(72);
  return [
    '',
    line,
    '  FIRST START: an admin account was generated. This is shown ONCE.',
    `    username: ${username}`,
    `    password: ${password}`,
    `  Also written to ${file} (mode 600). The first sign-in asks for a new`,
    '  password; then delete that file. Add more admins with: npm run admin:add -- <username>',
    line,
    '',
  ].join('\n');
}
