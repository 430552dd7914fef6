import { aclApi } from '../../api/admin-api';
import type { AclResource } from '../../api/types';

let tree: Promise<AclResource[]> | null = null;

/** The ACL tree, fetched once per page load (it changes only with a deployment). */
export function loadAclTree(): Promise<AclResource[]> {
  tree ??= aclApi.resources().catch((error: unknown) => {
    tree = null; // let the next caller retry
    throw error;
  });
  return tree;
}
