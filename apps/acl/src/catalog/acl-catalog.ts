import { AclCatalog as SharedAclCatalog } from '@integrations/contracts';
import { readJsonFile } from '../config-files';

// The tree, its file format and its parser are shared with the registry (@integrations/contracts).
export { ADMIN_ROOT, ALL_RESOURCES, AclCatalogError, type AclResourceNode } from '@integrations/contracts';

/** The admin ACL tree as the acl service loads it (the shared catalog, read from ACL_CATALOG_FILE). */
export class AclCatalog extends SharedAclCatalog {
  /** Reads the catalog at boot; fails fast with a message that names the file and ACL_CATALOG_FILE. */
  static load(file: string): AclCatalog {
    const { path, json } = readJsonFile(file, 'ACL catalog', 'ACL_CATALOG_FILE');
    return AclCatalog.parse(json, `ACL catalog file ${path}`);
  }
}
