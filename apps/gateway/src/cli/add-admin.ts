import 'reflect-metadata';
import { userInfo } from 'node:os';
import mongoose from 'mongoose';
import { AdminAccountRejected, AdminAccountsStore } from '../admin-auth/admin-accounts.store';
import { AdminAuditStore } from '../admin-auth/admin-audit.store';
import { adminAuthModels } from '../admin-auth/admin-auth.models';
import { normalizeUsername } from '../admin-auth/password-policy';
import { loadGatewayEnv } from '../gateway.env';
import { EXIT_USAGE, parseAddAdminArgs, USAGE } from './add-admin-args';

/**
 * Adds a gateway admin with a role (or, with --reset, sets a new password and lifts a lock, and with
 * --role also sets the role: the way back in when no administrator can sign in):
 *
 *   npm run admin:add -- <username> --role <role>
 *   npm run admin:add -- <username> --reset [--role <role>]
 *
 * The password is read without echo from the terminal (asked twice), or from stdin when piped, or
 * from ADMIN_NEW_PASSWORD. Never from the command line: arguments show up in `ps` and shell history.
 * Uses MONGO_URL and GATEWAY_DB like the gateway. Every change is in the admin audit trail (actor
 * `cli:<os user>`).
 */
async function main(): Promise<number> {
  const args = parseAddAdminArgs(process.argv.slice(2));
  if (args.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.kind === 'usage-error') {
    process.stderr.write(`admin:add: ${args.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { username, role, reset } = args;
  const config = loadGatewayEnv();
  const password = await readPassword();

  const connection = await mongoose
    .createConnection(config.mongoUrl, { dbName: config.database, serverSelectionTimeoutMS: 5000 })
    .asPromise();
  try {
    const models = adminAuthModels(connection);
    const accounts = new AdminAccountsStore(models.accounts);
    const audit = new AdminAuditStore(models.audit);
    const actor = `cli:${operator()}`;
    const name = normalizeUsername(username);
    const now = new Date();
    if (reset) {
      const before = await accounts.find(username);
      if (!before || !(await accounts.setPassword(username, password, now))) {
        process.stderr.write(
          `No admin "${username}" in database "${config.database}". Drop --reset (and give --role) to create it.\n`,
        );
        return 1;
      }
      // A reset often follows a suspected leak: whoever held a session must sign in again.
      const ended = await models.sessions.updateMany({ username: name, revokedAt: null }, { $set: { revokedAt: now } });
      await models.failures.deleteMany({ username: name });
      await audit.record({ at: now, actor, action: 'password-reset', username: name });
      let roleNote = '';
      if (role && role !== before.role) {
        await accounts.setRole(username, role);
        await audit.record({
          at: now,
          actor,
          action: 'role-changed',
          username: name,
          changes: { role: { from: before.role, to: role } },
        });
        roleNote = ` role ${before.role} -> ${role},`;
      }
      process.stdout.write(
        `Password of admin "${name}" changed,${roleNote} lock lifted, ${ended.modifiedCount} session(s) ended.\n`,
      );
      return 0;
    }
    if ((await accounts.create(username, password, now, { role: role! })) === 'exists') {
      process.stderr.write(
        `Admin "${username}" already exists. To set a new password run: npm run admin:add -- ${username} --reset` +
          ` (an administrator changes roles in System › Permissions, or add --role to the reset)\n`,
      );
      return 1;
    }
    await audit.record({
      at: now,
      actor,
      action: 'account-created',
      username: name,
      changes: { role: { from: null, to: role! } },
    });
    process.stdout.write(
      `Admin "${name}" (${role}) created in database "${config.database}". Sign in at POST /admin/v1/auth/login.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AdminAccountRejected) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await connection.close();
  }
}

/** Who ran the command, for the audit trail (the OS account; the CLI has no admin session). */
function operator(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.ADMIN_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) return (await readAll(process.stdin)).replace(/\r?\n$/, '');
  const first = await readHidden('New admin password: ');
  const second = await readHidden('Repeat it: ');
  if (first !== second) throw new UsageError('The two passwords differ; nothing was changed.');
  return first;
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal in raw mode, echoing nothing. */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new UsageError('Cancelled; nothing was changed.'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}

class UsageError extends Error {}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error instanceof UsageError ? '' : 'admin:add failed: '}${error.message}\n`);
    process.exit(1);
  },
);
