import { AclCatalog } from '../acl-catalog';
import { loadManifest } from './manifest-file';

/**
 * Checks a manifest before it is rolled out (the registry refuses to start with an invalid one):
 * `node -r @swc-node/register apps/registry/src/integration/manifest/check-manifest.ts <file>`.
 * Uses ACL_CATALOG_FILE like the registry (default config/acl-resources.json). Exit 0 when valid.
 */
const file = process.argv[2] ?? process.env.INTEGRATIONS_MANIFEST_FILE;
if (!file) {
  process.stderr.write('usage: check-manifest.ts <integrations.json> (or set INTEGRATIONS_MANIFEST_FILE)\n');
  process.exit(2);
}
try {
  const manifest = loadManifest(file, AclCatalog.load(process.env.ACL_CATALOG_FILE || 'config/acl-resources.json'));
  process.stdout.write(
    `${manifest.path}: ${manifest.entries.length} integration(s): ${manifest.entries.map((e) => e.fields.name).join(', ')}\n`,
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
