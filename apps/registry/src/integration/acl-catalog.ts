import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** One node of the admin ACL resource tree (`config/acl-resources.json`, Magento ids). */
export interface AclResourceNode {
  id: string;
  title: string;
  sortOrder: number;
  children: AclResourceNode[];
}

const resourceId = z
  .string()
  .regex(/^[A-Za-z0-9]+_[A-Za-z0-9]+::[A-Za-z0-9_]+$/, 'must look like Vendor_Module::resource');
const node: z.ZodType<AclResourceNode> = z.lazy(() =>
  z
    .object({
      id: resourceId,
      title: z.string().min(1),
      sortOrder: z.number().int(),
      children: z.array(node).default([]),
    })
    .strict(),
) as z.ZodType<AclResourceNode>;
const catalogFile = z.object({ resources: z.array(node).min(1) }).strict();

export class AclCatalogError extends Error {
  override readonly name = 'AclCatalogError';
}

/**
 * The set of ACL resource ids an integration may be granted. The registry only needs membership
 * (to reject unknown ids); the tree itself is served by the acl service from the same file.
 */
export class AclCatalog {
  private readonly ids: ReadonlySet<string>;

  constructor(readonly resources: AclResourceNode[]) {
    const ids = new Set<string>();
    const walk = (nodes: AclResourceNode[]) => {
      for (const n of nodes) {
        if (ids.has(n.id)) throw new AclCatalogError(`ACL catalog: resource id "${n.id}" appears twice.`);
        ids.add(n.id);
        walk(n.children);
      }
    };
    walk(resources);
    this.ids = ids;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Ids not in the catalog, in the order given, without repeats. */
  unknown(ids: readonly string[]): string[] {
    return [...new Set(ids.filter((id) => !this.ids.has(id)))];
  }

  get size(): number {
    return this.ids.size;
  }

  static parse(json: unknown, source = 'ACL catalog'): AclCatalog {
    const result = catalogFile.safeParse(json);
    if (!result.success) {
      const problems = result.error.issues.slice(0, 5).map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new AclCatalogError(
        `${source} is not a valid ACL catalog ({"resources": [{id, title, sortOrder, children}]}):\n${problems.join('\n')}`,
      );
    }
    return new AclCatalog(result.data.resources);
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
