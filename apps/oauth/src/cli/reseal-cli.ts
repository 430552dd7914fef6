import { parseArgs } from 'node:util';
import type { CollectionReport, ResealReport } from './reseal-values';

export const USAGE = `usage: npm run oauth:reseal -- [--dry-run] [--progress-every N] [--batch-size N]
  (in the image: node apps/oauth/src/cli/reseal.js [...])

Re-seals every stored oauth secret (consumer secrets, token secrets, verifiers) that is not sealed
with the active key, so an old key can be removed. Safe while the service runs.
  --dry-run           count only, change nothing (use it to check that nothing is left)
  --progress-every N  a progress line every N documents of a collection (default 1000)
  --batch-size N      documents per database round trip (default 500)
  -h, --help          this text; nothing is done
Env (as the oauth service): MONGO_URL, OAUTH_DB (default oauth), OAUTH_ENCRYPTION_KEYS and
OAUTH_ENCRYPTION_ACTIVE_KEY_ID, or outside production the OAUTH_DEV_KEY_FILE
(default .local/oauth-keys.json).
Exit: 0 done; 1 a value could not be opened (or was busy), or the run failed; 64 bad arguments.`;

export interface ResealArgs {
  dryRun: boolean;
  progressEvery: number;
  batchSize: number;
  help: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * `node:util` parseArgs, strict: an unknown option, a positional argument or a missing value is a
 * UsageError (exit 64), never ignored. `--help` among otherwise known options asks for the usage
 * only: nothing else is read or done.
 */
export function parseResealArgs(argv: readonly string[]): ResealArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'dry-run': { type: 'boolean', default: false },
        'progress-every': { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { dryRun: false, progressEvery: 1000, batchSize: 500, help: true };
  return {
    dryRun: values['dry-run'],
    progressEvery: wholeNumber('--progress-every', values['progress-every'], 1000),
    batchSize: wholeNumber('--batch-size', values['batch-size'], 500),
    help: false,
  };
}

function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const number = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(number) || number < 1)
    throw new UsageError(`${flag} takes a whole number >= 1, got "${text}"`);
  return number;
}

export function formatProgress(progress: CollectionReport, dryRun: boolean): string {
  return `  ${progress.collection}: ${progress.documents}/${progress.total} documents, ${dryRun ? 'to re-seal' : 're-sealed'} ${progress.resealed}, already current ${progress.current}, unreadable ${progress.unreadable}${progress.busy ? `, busy ${progress.busy}` : ''}`;
}

/** The last lines: counts, the key ids of what could not be opened, and what to do next. */
export function formatSummary(report: ResealReport): string[] {
  const keyIds = Object.entries(report.unreadableKeyIds)
    .map(([keyId, count]) => `${keyId} x${count}`)
    .join(', ');
  const lines = [
    `${report.dryRun ? 'dry run: would re-seal' : 're-sealed'} ${report.resealed}, already current ${report.current}, unreadable ${report.unreadable}${keyIds ? ` (key ids: ${keyIds})` : ''}${report.busy ? `, busy ${report.busy} documents` : ''} (active key "${report.activeKeyId}", ${report.documents} documents)`,
  ];
  for (const value of report.unreadableSamples) {
    lines.push(
      `  unreadable: ${value.collection}.${value.field} of integration ${value.integrationId ?? '(none)'}: ${value.reason} "${value.keyId}"`,
    );
  }
  if (report.unreadable > report.unreadableSamples.length)
    lines.push(`  ... and ${report.unreadable - report.unreadableSamples.length} more`);
  if (report.unreadable > 0) {
    lines.push(
      'next step: configure the key(s) named above in OAUTH_ENCRYPTION_KEYS and run again; a value whose key is lost cannot be recovered: reauthorize (or delete) the integrations listed',
    );
  } else if (report.busy > 0) {
    lines.push('next step: some documents changed on every attempt; run again');
  } else if (report.dryRun && report.resealed > 0) {
    lines.push('next step: run without --dry-run');
  } else {
    lines.push(
      `every stored secret is sealed with "${report.activeKeyId}"; keys other than it can be removed once every oauth replica runs with it active`,
    );
  }
  return lines;
}
