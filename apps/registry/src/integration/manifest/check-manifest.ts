import { parseArgs } from 'node:util';
import { AclCatalog } from '../acl-catalog';
import { loadManifest } from './manifest-file';

const USAGE = `Checks an integrations manifest before it is rolled out (the registry refuses to start with an
invalid one). Exit 0 when valid, 1 when not (the problems are listed), 64 for a wrong command line.

usage: node -r @swc-node/register apps/registry/src/integration/manifest/check-manifest.ts [<integrations.json>]

  <integrations.json>  the manifest; default INTEGRATIONS_MANIFEST_FILE
  -h, --help           print this and exit

env: ACL_CATALOG_FILE (default config/acl-resources.json), as the registry uses it.
`;

/** EX_USAGE (sysexits.h): the command line was wrong; nothing was checked. */
const EXIT_USAGE = 64;

function usageError(message: string): never {
  process.stderr.write(`check-manifest: ${message}\n\n${USAGE}`);
  process.exit(EXIT_USAGE);
}

let file: string | undefined;
try {
  const { values, positionals } = parseArgs({
    strict: true,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (positionals.length > 1) usageError(`one manifest at a time (got ${positionals.length} files)`);
  file = positionals[0] ?? (process.env.INTEGRATIONS_MANIFEST_FILE || undefined);
} catch (error) {
  usageError((error as Error).message);
}
if (!file) usageError('no manifest given: pass the file, or set INTEGRATIONS_MANIFEST_FILE');

try {
  const manifest = loadManifest(file, AclCatalog.load(process.env.ACL_CATALOG_FILE || 'config/acl-resources.json'));
  process.stdout.write(
    `${manifest.path}: ${manifest.entries.length} integration(s): ${manifest.entries.map((e) => e.fields.name).join(', ')}\n`,
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
