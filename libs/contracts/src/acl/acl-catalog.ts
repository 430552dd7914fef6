import { z } from 'zod';

/**
 * The admin ACL resource tree file (`config/acl-resources.json`, `ACL_CATALOG_FILE`), read by the
 * acl service (to expand grants and serve the tree) and by the registry (to refuse unknown ids).
 * One parser, so both read the same file the same way.
 */

/** One node of the tree: Magento's id, title and sortOrder. */
export interface AclResourceNode {
  id: string;
  title: string;
  sortOrder: number;
  children: AclResourceNode[];
}

/** "Resource Access = All" is stored as this one resource (Magento `isEverythingAllowed()`). */
export const ALL_RESOURCES = 'Magento_Backend::all';
/** The root whose children the file lists; Magento's Custom path always allows it. */
export const ADMIN_ROOT = 'Magento_Backend::admin';

export const AclResourceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9]+_[A-Za-z0-9]+::[A-Za-z0-9_]+$/, 'must look like Vendor_Module::resource');

const AclResourceNodeSchema: z.ZodType<AclResourceNode> = z.lazy(() =>
  z.strictObject({
    id: AclResourceIdSchema,
    title: z.string().min(1),
    // Required: the file is the merged tree, so every node states its place. Magento's acl.xml
    // default (a missing sortOrder is 0) is applied when the tree is merged, not when it is read.
    sortOrder: z.number().int(),
    // A leaf may leave it out.
    children: z.array(AclResourceNodeSchema).default([]),
  }),
) as z.ZodType<AclResourceNode>;

/** `{"$comment"?, "resources": [...]}`: the children of `Magento_Backend::admin`. */
export const AclCatalogFileSchema = z.strictObject({
  $comment: z.string().optional(),
  resources: z.array(AclResourceNodeSchema).min(1),
});
export type AclCatalogFile = z.infer<typeof AclCatalogFileSchema>;

export class AclCatalogError extends Error {
  override readonly name = 'AclCatalogError';
  readonly code = 'ACL.CATALOG_INVALID';
}

/**
 * The admin ACL tree (children of `Magento_Backend::admin`), siblings sorted as Magento shows them,
 * plus the parent of every id, so that grants can add ancestors the way Magento's consolidated
 * converter does.
 */
export class AclCatalog {
  /** Siblings sorted by sortOrder; ties keep file order (Magento keeps module load order). */
  readonly tree: readonly AclResourceNode[];
  private readonly parents = new Map<string, string>();

  constructor(resources: readonly AclResourceNode[], source = 'ACL catalog') {
    const sortAndIndex = (nodes: readonly AclResourceNode[], parent: string): AclResourceNode[] => {
      for (const n of nodes) {
        if (n.id === ALL_RESOURCES || n.id === ADMIN_ROOT) {
          throw new AclCatalogError(
            `${source}: ${n.id} must not appear in the file; it lists the children of ${ADMIN_ROOT}, and ${ALL_RESOURCES} stands for "All".`,
          );
        }
        if (this.parents.has(n.id)) throw new AclCatalogError(`${source}: resource id "${n.id}" appears twice.`);
        this.parents.set(n.id, parent);
      }
      return [...nodes]
        .sort((a, b) => a.sortOrder - b.sortOrder)
        .map((n) => ({ id: n.id, title: n.title, sortOrder: n.sortOrder, children: sortAndIndex(n.children, n.id) }));
    };
    this.tree = deepFreeze(sortAndIndex(resources, ADMIN_ROOT));
  }

  /** Whether the tree declares `id` (the two roots are not in it). */
  has(id: string): boolean {
    return this.parents.has(id);
  }

  /** Number of ids in the file (without the two roots). */
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

  /** Ids not in the tree, in the order given, without repeats. */
  unknown(ids: readonly string[]): string[] {
    return [...new Set(ids.filter((id) => !this.has(id)))];
  }

  /**
   * Validates a parsed JSON document; the error names `source` and the first problems with their
   * place. Builds the class it is called on, so a service's subclass (which adds how it finds the
   * file) parses with this one parser.
   */
  static parse<C extends AclCatalog>(
    this: new (resources: readonly AclResourceNode[], source?: string) => C,
    json: unknown,
    source = 'ACL catalog',
  ): C {
    const result = AclCatalogFileSchema.safeParse(json);
    if (!result.success) {
      const problems = result.error.issues
        .slice(0, 5)
        .map((issue) => `  - ${describePath(json, issue.path)}: ${issue.message}`);
      throw new AclCatalogError(
        `${source} is not a valid ACL catalog ({"resources": [{"id", "title", "sortOrder", "children"?}]}):\n${problems.join('\n')}`,
      );
    }
    return new this(result.data.resources, source);
  }
}

/** `resources.1.children.0.id` plus the id of the entry it is in, so an operator can find it. */
function describePath(json: unknown, path: readonly PropertyKey[]): string {
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
