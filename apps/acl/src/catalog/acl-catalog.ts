import { z } from 'zod';
import { readJsonFile } from '../config-files';

/** One node of the admin ACL resource tree (`config/acl-resources.json`, Magento ids and titles). */
export interface AclResourceNode {
  id: string;
  title: string;
  sortOrder: number;
  children: AclResourceNode[];
}

/** "Resource Access = All" is stored as this one resource (Magento `isEverythingAllowed()`). */
export const ALL_RESOURCES = 'Magento_Backend::all';
/** The root whose children the tree shows; Magento's Custom path always allows it. */
export const ADMIN_ROOT = 'Magento_Backend::admin';

const resourceId = z
  .string()
  .regex(/^[A-Za-z0-9]+_[A-Za-z0-9]+::[A-Za-z0-9_]+$/, 'must look like Vendor_Module::resource');
const node: z.ZodType<AclResourceNode> = z.lazy(() =>
  z.strictObject({
    id: resourceId,
    title: z.string().min(1),
    sortOrder: z.number().int().default(0),
    children: z.array(node).default([]),
  }),
) as z.ZodType<AclResourceNode>;
const catalogFile = z.strictObject({ resources: z.array(node).min(1) });

export class AclCatalogError extends Error {
  override readonly name = 'AclCatalogError';
  readonly code = 'ACL.CATALOG_INVALID';
}

/**
 * The admin ACL tree (children of `Magento_Backend::admin`), sorted as Magento shows it, plus the
 * parent of every id so grants can add ancestors the way Magento's consolidated converter does.
 */
export class AclCatalog {
  /** Siblings sorted by sortOrder; ties keep file order (Magento keeps module load order). */
  readonly tree: readonly AclResourceNode[];
  private readonly parents = new Map<string, string>();

  constructor(resources: AclResourceNode[], source = 'ACL catalog') {
    const seen = new Set<string>();
    const sortAndIndex = (nodes: AclResourceNode[], parent: string): AclResourceNode[] => {
      for (const n of nodes) {
        if (n.id === ALL_RESOURCES || n.id === ADMIN_ROOT) {
          throw new AclCatalogError(
            `${source}: ${n.id} must not appear in the file; it lists the children of ${ADMIN_ROOT}, and ${ALL_RESOURCES} stands for "All".`,
          );
        }
        if (seen.has(n.id)) throw new AclCatalogError(`${source}: resource id "${n.id}" appears twice.`);
        seen.add(n.id);
        this.parents.set(n.id, parent);
      }
      return [...nodes]
        .sort((a, b) => a.sortOrder - b.sortOrder)
        .map((n) => ({ id: n.id, title: n.title, sortOrder: n.sortOrder, children: sortAndIndex(n.children, n.id) }));
    };
    this.tree = deepFreeze(sortAndIndex(resources, ADMIN_ROOT));
  }

  has(id: string): boolean {
    return this.parents.has(id);
  }

  get size(): number {
    return this.parents.size;
  }

  /** Parents of `id` up to and including `Magento_Backend::admin`, nearest first; [] when unknown. */
  ancestors(id: string): string[] {
    const result: string[] = [];
    for (let parent = this.parents.get(id); parent !== undefined; parent = this.parents.get(parent)) {
      result.push(parent);
    }
    return result;
  }

  static parse(json: unknown, source = 'ACL catalog'): AclCatalog {
    const result = catalogFile.safeParse(json);
    if (!result.success) {
      const problems = result.error.issues
        .slice(0, 5)
        .map((issue) => `  - ${describePath(json, issue.path)}: ${issue.message}`);
      throw new AclCatalogError(
        `${source} is not a valid ACL catalog ({"resources": [{"id", "title", "sortOrder", "children"}]}):\n${problems.join('\n')}`,
      );
    }
    return new AclCatalog(result.data.resources, source);
  }

  /** Reads the catalog at boot; fails fast with a message that names the file and ACL_CATALOG_FILE. */
  static load(file: string): AclCatalog {
    const { path, json } = readJsonFile(file, 'ACL catalog', 'ACL_CATALOG_FILE');
    return AclCatalog.parse(json, `ACL catalog file ${path}`);
  }
}

/** `resources.1.children.0.id` plus the id of the entry it is in, so an operator can find it. */
function describePath(json: unknown, path: PropertyKey[]): string {
  let value: unknown = json;
  let nearestId: string | undefined;
  for (const key of path.slice(0, -1)) {
    if (value === null || typeof value !== 'object') break;
    value = (value as Record<PropertyKey, unknown>)[key as string];
    const id = (value as { id?: unknown } | null)?.id;
    if (typeof id === 'string') nearestId = id;
  }
  const where = path.map(String).join('.') || '(root)';
  return nearestId ? `${where} (in "${nearestId}")` : where;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
