import type { AclCatalog } from './acl-catalog';
import { unknownResources } from './integration.errors';
import type { IntegrationFields } from './integration-fields';

/** Custom resources must exist in the ACL catalog; the error lists every unknown id. */
export function assertKnownResources(catalog: AclCatalog, fields: IntegrationFields): void {
  if (fields.resourceAccess !== 'custom') return;
  const unknown = catalog.unknown(fields.resources);
  if (unknown.length > 0) throw unknownResources(unknown);
}
