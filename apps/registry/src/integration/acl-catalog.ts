import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { AclCatalog as SharedAclCatalog, AclCatalogError, type AclResourceNode } from '@integrations/contracts';

// The tree, its file format and its parser are shared with the acl service (@integrations/contracts),
// so both read ACL_CATALOG_FILE the same way.
export { AclCatalogError, type AclResourceNode } from '@integrations/contracts';

/**
 * The ACL resource ids an integration may be granted. The registry needs membership (to refuse
 * unknown ids, `unknown()`) and the parents (manifest plans); the acl service serves the tree.
 */
export class AclCatalog extends SharedAclCatalog {
  /** The tree (children of `Magento_Backend::admin`), siblings sorted by sortOrder. */
  get resources(): readonly AclResourceNode[] {
    return this.tree;
  }

  /** Reads the catalog at boot; fails fast with a message that names the file and ACL_CATALOG_FILE. */
  static load(file: string): AclCatalog {
    const path = locate(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new AclCatalogError(
        `ACL catalog file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). ` +
          'Set ACL_CATALOG_FILE to the path of the resource tree JSON (default config/acl-resources.json, relative to the working directory).',
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new AclCatalogError(
        `ACL catalog file ${path} is not valid JSON: ${(error as Error).message}. Fix the file or point ACL_CATALOG_FILE elsewhere.`,
      );
    }
    return AclCatalog.parse(json, `ACL catalog file ${path}`);
  }
}

/**
 * A relative path is taken from the working directory; when that misses, from the repository root,
 * so the default works when the service is started from elsewhere (tests, nx).
 */
function locate(file: string): string {
  const fromCwd = resolve(file);
  if (isAbsolute(file) || existsSync(fromCwd)) return fromCwd;
  const fromRepo = resolve(__dirname, '../../../..', file);
  return existsSync(fromRepo) ? fromRepo : fromCwd;
}
