import 'reflect-metadata';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { AdminAccountRejected, AdminAccountsStore } from '../admin-auth/admin-accounts.store';
import { adminAuthModels } from '../admin-auth/admin-auth.models';
import { normalizeUsername, PASSWORD_MIN_LENGTH } from '../admin-auth/password-policy';
import { loadGatewayEnv } from '../gateway.env';

/**
 * Adds a gateway admin (or, with --reset, sets a new password and lifts a lock):
 *
 *   npm run admin:add -- <username> [--reset]
 *
 * The password is read without echo from the terminal (asked twice), or from stdin when piped, or
 * from ADMIN_NEW_PASSWORD. Never from the command line: arguments show up in `ps` and shell history.
 * Uses MONGO_URL and GATEWAY_DB like the gateway.
 */
const USAGE = `usage: npm run admin:add -- <username> [--reset]

Adds a gateway admin, or with --reset sets a new password, lifts a lock and ends the admin's sessions.
  --reset      change the password of an existing admin
  -h, --help   this text
Password: typed (hidden, twice), piped on stdin, or ADMIN_NEW_PASSWORD; at least ${PASSWORD_MIN_LENGTH} characters.
Environment: MONGO_URL, GATEWAY_DB (as the gateway).`;

/** sysexits.h EX_USAGE: the command was used incorrectly. */
const EXIT_USAGE = 64;

type Cli =
  { kind: 'help' } | { kind: 'usage-error'; message: string } | { kind: 'run'; username: string; reset: boolean };

function parseCli(argv: string[]): Cli {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { reset: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) return { kind: 'help' };
    if (positionals.length !== 1) {
      return { kind: 'usage-error', message: `one <username> expected, got ${positionals.length}` };
    }
    return { kind: 'run', username: positionals[0]!, reset: values.reset ?? false };
  } catch (error) {
    return { kind: 'usage-error', message: (error as Error).message };
  }
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cli.kind === 'usage-error') {
    process.stderr.write(`admin:add: ${cli.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { username, reset } = cli;
  const config = loadGatewayEnv();
  const password = await readPassword();

  const connection = await mongoose
    .createConnection(config.mongoUrl, { dbName: config.database, serverSelectionTimeoutMS: 5000 })
    .asPromise();
  try {
    const models = adminAuthModels(connection);
    const accounts = new AdminAccountsStore(models.accounts);
    const now = new Date();
    if (reset) {
      if (!(await accounts.setPassword(username, password, now))) {
        process.stderr.write(`No admin "${username}" in database "${config.database}". Drop --reset to create it.\n`);
        return 1;
      }
      // A reset often follows a suspected leak: whoever held a session must sign in again.
      const ended = await models.sessions.updateMany(
        { username: normalizeUsername(username), revokedAt: null },
        { $set: { revokedAt: now } },
      );
      await models.failures.deleteMany({ username: normalizeUsername(username) });
      process.stdout.write(
        `Password of admin "${normalizeUsername(username)}" changed, lock lifted, ${ended.modifiedCount} session(s) ended.\n`,
      );
      return 0;
    }
    if ((await accounts.create(username, password, now)) === 'exists') {
      process.stderr.write(
        `Admin "${username}" already exists. To set a new password run: npm run admin:add -- ${username} --reset\n`,
      );
      return 1;
    }
    process.stdout.write(
      `Admin "${normalizeUsername(username)}" created in database "${config.database}". Sign in at POST /admin/v1/auth/login.\n`,
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
