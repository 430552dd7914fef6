import { connectMongo } from '@integrations/event-store';
import { loadConfig } from '@integrations/service-kit';
import { z } from 'zod';
import { loadSecretBox } from '../crypto/encryption-keys';
import { formatProgress, formatSummary, parseResealArgs, USAGE, UsageError } from './reseal-cli';
import { resealDatabase } from './reseal-values';
import { SEALED_COLLECTIONS } from './sealed-fields';

/**
 * Operations: re-seal the oauth service's stored secrets with the active encryption key (key
 * rotation, docs/operations.md). `npm run oauth:reseal -- --help`.
 *
 * Reads its keys exactly as the service does; in Kubernetes it runs inside the oauth pod
 * (`kubectl exec`), so it uses the keys that pod runs with. Prints collection names, counts, key
 * ids and integration ids, never a secret, a key or the MONGO_URL (it may hold a password).
 */
const resealEnv = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  OAUTH_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name ([A-Za-z0-9_-], 1-63 chars)')
    .default('oauth'),
  NODE_ENV: z.string().default('development'),
  OAUTH_ENCRYPTION_KEYS: z.string().optional(),
  OAUTH_ENCRYPTION_ACTIVE_KEY_ID: z.string().optional(),
  INTEGRATIONS_DEV_MODE: z.enum(['true', 'false']).default('false'),
  OAUTH_DEV_KEY_FILE: z.string().min(1).default('.local/oauth-keys.json'),
});

async function main(): Promise<number> {
  let args;
  try {
    args = parseResealArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 64;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = loadConfig('oauth:reseal', resealEnv);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const box = loadSecretBox(
    {
      keys: env.OAUTH_ENCRYPTION_KEYS,
      activeKeyId: env.OAUTH_ENCRYPTION_ACTIVE_KEY_ID,
      nodeEnv: env.NODE_ENV,
      devMode: env.INTEGRATIONS_DEV_MODE === 'true',
      devKeyFile: env.OAUTH_DEV_KEY_FILE,
      createDevKeyFile: false,
    },
    {
      info: () => undefined,
      warn: (fields) => say(`using the development key file ${(fields as { file?: string }).file ?? ''}`),
    },
  );
  say(
    `${args.dryRun ? 'dry run: counting' : 're-sealing'} the stored secrets of database "${env.OAUTH_DB}" not sealed with key "${box.activeKeyId}" (keys configured: ${box.keyIds.join(', ')})`,
  );
  const connection = await connectMongo(env.MONGO_URL, env.OAUTH_DB);
  try {
    const started = Date.now();
    const report = await resealDatabase(connection.db!, box, SEALED_COLLECTIONS, {
      dryRun: args.dryRun,
      batchSize: args.batchSize,
      progressEvery: args.progressEvery,
      onProgress: (progress) => say(formatProgress(progress, args.dryRun)),
    });
    say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const line of formatSummary(report)) say(line);
    return report.unreadable > 0 || report.busy > 0 ? 1 : 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`oauth:reseal failed: ${error.message}\n`);
    process.exit(1);
  },
);
