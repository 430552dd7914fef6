import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN_ROOT,
  ALL_RESOURCES,
  ANONYMOUS_RESOURCE,
  SELF_RESOURCE,
  type AclCatalogFile,
  type AclResourceNode,
  type RouteMapFile,
} from '@integrations/contracts';
import { z } from 'zod';

/**
 * Writes the ACL tree and the REST route map the acl service and the registry ship with, from the
 * Magento Open Source 2.4.4 data in tools/magento-data/data/ (see the README there):
 *
 *   node -r @swc-node/register tools/magento-data/generate-acl-files.ts           # rewrites the files
 *   node -r @swc-node/register tools/magento-data/generate-acl-files.ts --check   # exit 1 if they differ
 *
 * The committed files are the source of truth; this is how they were made, and
 * `generate-acl-files.spec.ts` fails when they drift from it. The output is written in the layout
 * prettier leaves as it is (the route map: one route per line, and prettier-ignored), so
 * `prettier --check` stays clean.
 */

const ROOT = join(__dirname, '../..');
const DATA = join(__dirname, 'data');
export const ACL_INPUT = join(DATA, 'magento-2.4.4-acl-resources.json');
export const ROUTES_INPUT = join(DATA, 'magento-2.4.4-webapi-routes.json');
/** Each output is written twice: the service default and the Kubernetes ConfigMap copy (kept byte-identical). */
export const CATALOG_OUTPUTS = ['config/acl-resources.json', 'k8s/base/config-files/acl-resources.json'];
export const ROUTES_OUTPUTS = ['config/routes.json', 'k8s/base/config-files/routes.json'];

const COMMERCE_UPSTREAM = { commerce: { defaultUrl: 'http://127.0.0.1:3010' } };

/**
 * The routes "Allow Anonymous Guest Access" opens: Magento 2.4.4 `WebapiSecurity/etc/di.xml`, the
 * `resources` argument of `Magento\WebapiSecurity\Model\Plugin\AnonymousResourceSecurity` (keys
 * `<path>::GET`). Not in the webapi.xml data, so listed here.
 */
export const GUEST_ROUTES: readonly string[] = [
  '/V1/products',
  '/V1/products/:sku',
  '/V1/products/attributes/:attributeCode',
  '/V1/products/types',
  '/V1/products/attribute-sets/sets/list',
  '/V1/products/attribute-sets/:attributeSetId',
  '/V1/products/attribute-sets/:attributeSetId/attributes',
  '/V1/products/attribute-sets/groups/list',
  '/V1/products/attributes/:attributeCode/options',
  '/V1/products/media/types/:attributeSetName',
  '/V1/products/:sku/media/:entryId',
  '/V1/products/:sku/media',
  '/V1/products/:sku/group-prices/:customerGroupId/tiers',
  '/V1/categories/:categoryId',
  '/V1/categories',
  '/V1/products/:sku/options',
  '/V1/products/:sku/options/:optionId',
  '/V1/products/links/types',
  '/V1/products/links/:type/attributes',
  '/V1/products/:sku/links/:type',
  '/V1/categories/:categoryId/products',
  '/V1/stockStatuses/:productSku',
  '/V1/configurable-products/:sku/children',
  '/V1/configurable-products/:sku/options/:id',
  '/V1/configurable-products/:sku/options/all',
  '/V1/cmsPage/:pageId',
  '/V1/cmsBlock/:blockId',
  '/V1/store/storeViews',
  '/V1/store/storeGroups',
  '/V1/store/websites',
  '/V1/store/storeConfigs',
];

// Only what the generator reads from the data files; anything else in them is left alone.
interface InputNode {
  id: string;
  title: string;
  sortOrder: number;
  module: string;
  children: InputNode[];
}
const inputNode: z.ZodType<InputNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    sortOrder: z.number().int(),
    module: z.string(),
    children: z.array(inputNode),
  }),
) as z.ZodType<InputNode>;
const AclInput = z.object({ tree: z.tuple([inputNode]) });
const RoutesInput = z.object({
  routes: z.array(
    z.object({
      method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
      url: z.string().startsWith('/V1/'),
      resources: z.array(z.string()).min(1),
      module: z.string(),
      overriddenBy: z.string().optional(),
    }),
  ),
  moduleShippedVia: z.record(z.string(), z.string()),
});

/** Magento's own distribution; every other package named in the data is bundled from elsewhere. */
const CORE_PACKAGE = 'magento/product-community-edition';

export interface GeneratedAclFiles {
  catalog: AclCatalogFile;
  routes: RouteMapFile;
  counts: {
    /** Every id of the merged tree, the two roots included (Magento's count). */
    aclIds: number;
    routes: number;
    coreRoutes: number;
    anonymous: number;
    self: number;
    guest: number;
  };
}

export function generateAclFiles(): GeneratedAclFiles {
  const acl = AclInput.parse(JSON.parse(readFileSync(ACL_INPUT, 'utf8')));
  const input = RoutesInput.parse(JSON.parse(readFileSync(ROUTES_INPUT, 'utf8')));

  // The data nests Magento's two top-level ids as all > admin, as the acl service expects.
  const [all] = acl.tree;
  const admin = all.children[0];
  if (all.id !== ALL_RESOURCES || all.children.length !== 1 || admin.id !== ADMIN_ROOT) {
    throw new Error(`${ACL_INPUT}: expected the root ${ALL_RESOURCES} with the single child ${ADMIN_ROOT}.`);
  }
  const toNode = (n: InputNode): AclResourceNode => ({
    id: n.id,
    title: n.title,
    sortOrder: n.sortOrder,
    children: n.children.map(toNode),
  });
  const resources = admin.children.map(toNode);
  const treeIds = new Set<string>();
  const collect = (nodes: AclResourceNode[]) =>
    nodes.forEach((n) => {
      treeIds.add(n.id);
      collect(n.children);
    });
  collect(resources);

  // Magento merges a method + path declared twice; the module loaded later wins (the data marks the
  // earlier one `overriddenBy`). A trailing slash is dropped: Magento trims it before matching.
  const effective = input.routes.filter((r) => !r.overriddenBy);
  const guest = new Set(GUEST_ROUTES);
  const special = new Set([ANONYMOUS_RESOURCE, SELF_RESOURCE, ADMIN_ROOT]);
  const routes = effective
    .map((r) => ({
      method: r.method,
      path: r.url.replace(/\/$/, ''),
      resources: r.resources,
      upstream: 'commerce',
      guest: r.method === 'GET' && guest.has(r.url),
      core: input.moduleShippedVia[r.module] === CORE_PACKAGE,
    }))
    .sort((a, b) => compare(a.path, b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));

  const ids = new Set(routes.map((r) => `${r.method} ${r.path}`));
  if (ids.size !== routes.length) throw new Error(`${ROUTES_INPUT}: a method + path appears twice after merging.`);
  for (const path of GUEST_ROUTES) {
    const route = routes.find((r) => r.method === 'GET' && r.path === path);
    if (!route?.guest) throw new Error(`Guest route GET ${path} is not a route of ${ROUTES_INPUT}.`);
    if (route.resources.some((resource) => special.has(resource))) {
      throw new Error(`Guest route GET ${path} is anonymous or self in webapi.xml.`);
    }
  }
  const undeclaredResources = [
    ...new Set(routes.flatMap((r) => r.resources).filter((r) => !special.has(r) && !treeIds.has(r))),
  ].sort(compare);

  return {
    catalog: {
      $comment:
        'Admin ACL resource tree of Magento Open Source 2.4.4: the children of Magento_Backend::admin, merged from every acl.xml of the release as Magento merges them (ids, titles, sortOrder). Generated by tools/magento-data/generate-acl-files.ts; see apps/acl/README.md. Replace with ACL_CATALOG_FILE.',
      resources,
    },
    routes: {
      $comment:
        "REST route map of Magento Open Source 2.4.4: every route of the release's webapi.xml files, method + path (relative to /rest/V1 and /rest/<store>/V1) -> every ACL resource the caller needs ('anonymous': anyone; 'self': a customer token, never an integration), the upstream that serves it, and whether 'Allow Anonymous Guest Access' opens it (WebapiSecurity di.xml). Generated by tools/magento-data/generate-acl-files.ts; see apps/acl/README.md. Replace with ACL_ROUTES_FILE. Upstream base URLs come from UPSTREAM_<NAME>_URL (e.g. UPSTREAM_COMMERCE_URL), else defaultUrl.",
      upstreams: COMMERCE_UPSTREAM,
      undeclaredResources,
      routes: routes.map(({ core: _core, ...route }) => route),
    },
    counts: {
      aclIds: treeIds.size + 2,
      routes: routes.length,
      coreRoutes: routes.filter((r) => r.core).length,
      anonymous: routes.filter((r) => r.resources.includes(ANONYMOUS_RESOURCE)).length,
      self: routes.filter((r) => r.resources.includes(SELF_RESOURCE)).length,
      guest: routes.filter((r) => r.guest).length,
    },
  };
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'DELETE'];

/** Byte order (Magento sorts its route paths this way too), not the locale's. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The two files as written: path -> text. */
export function renderAclFiles(generated = generateAclFiles()): Record<string, string> {
  const catalog = renderCatalog(generated.catalog);
  const routes = renderRoutes(generated.routes);
  return {
    ...Object.fromEntries(CATALOG_OUTPUTS.map((file) => [file, catalog])),
    ...Object.fromEntries(ROUTES_OUTPUTS.map((file) => [file, routes])),
  };
}

// Layout: prettier's own for these shapes (printWidth 120, 2 spaces). An object or array is written
// on one line when that line (with its trailing comma) fits, else one entry per line; prettier keeps
// both as they are, so its check passes without running it here.
const WIDTH = 120;

function renderCatalog(file: AclCatalogFile): string {
  const node = (n: AclResourceNode, indent: string, last: boolean): string => {
    const comma = last ? '' : ',';
    const leaf = { id: n.id, title: n.title, sortOrder: n.sortOrder };
    if (n.children.length === 0) return block(leaf, indent, comma);
    const inner = `${indent}  `;
    const only = n.children.length === 1 && n.children[0].children.length === 0 ? n.children[0] : null;
    // Prettier breaks an array of several objects, but keeps a single flat object inline if it fits.
    const flatChildren =
      only && `${inner}"children": [${inline({ id: only.id, title: only.title, sortOrder: only.sortOrder })}]`;
    const children =
      flatChildren && flatChildren.length <= WIDTH
        ? [flatChildren]
        : [
            `${inner}"children": [`,
            ...n.children.map((c, i) => node(c, `${inner}  `, i === n.children.length - 1)),
            `${inner}]`,
          ];
    return [
      `${indent}{`,
      ...Object.entries(leaf).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${JSON.stringify(v)},`),
      ...children,
      `${indent}}${comma}`,
    ].join('\n');
  };
  return [
    '{',
    `  "$comment": ${JSON.stringify(file.$comment)},`,
    '  "resources": [',
    file.resources.map((n, i) => node(n, '    ', i === file.resources.length - 1)).join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}

function renderRoutes(file: RouteMapFile): string {
  // One route per line, whatever its length, so that a route is one line to read, grep or diff
  // (the file and its k8s copy are in .prettierignore for that).
  const routes = file.routes.map(
    (r, i) =>
      `    ${inline({
        method: r.method,
        path: r.path,
        resources: r.resources,
        upstream: r.upstream,
        ...(r.guest ? { guest: true } : {}),
      })}${i === file.routes.length - 1 ? '' : ','}`,
  );
  return [
    '{',
    `  "$comment": ${JSON.stringify(file.$comment)},`,
    block(file.upstreams, '  ', ',', 'upstreams'),
    block(file.undeclaredResources, '  ', ',', 'undeclaredResources'),
    '  "routes": [',
    ...routes,
    '  ]',
    '}',
    '',
  ].join('\n');
}

/** One value at `indent`: on one line if it fits, else one entry per line (recursively). */
function block(value: unknown, indent: string, comma: string, key?: string): string {
  const prefix = `${indent}${key === undefined ? '' : `${JSON.stringify(key)}: `}`;
  const flat = `${prefix}${inline(value)}${comma}`;
  if (flat.length <= WIDTH || value === null || typeof value !== 'object') return flat;
  const entries: Array<[string | undefined, unknown]> = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const lines = entries.map(([k, v], i) => block(v, `${indent}  `, i === entries.length - 1 ? '' : ',', k));
  return [`${prefix}${open}`, ...lines, `${indent}${close}${comma}`].join('\n');
}

/** Prettier's flat JSON: `{ "a": 1 }`, `["x", "y"]`, `{}`, `[]`. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function main(): void {
  const check = process.argv.includes('--check');
  const generated = generateAclFiles();
  const stale: string[] = [];
  for (const [file, text] of Object.entries(renderAclFiles(generated))) {
    const path = join(ROOT, file);
    let current: string | null = null;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = null;
    }
    if (current === text) continue;
    stale.push(file);
    if (!check) writeFileSync(path, text);
  }
  const summary = `${generated.counts.aclIds} ACL ids (with the two roots), ${generated.counts.routes} routes (${generated.counts.coreRoutes} from core modules, ${generated.counts.anonymous} anonymous, ${generated.counts.self} self, ${generated.counts.guest} guest)`;
  if (check && stale.length > 0) {
    process.stderr.write(`Out of date: ${stale.join(', ')}. Run node -r @swc-node/register ${__filename}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `${check ? 'Up to date' : stale.length > 0 ? `Wrote ${stale.join(', ')}` : 'Unchanged'}: ${summary}\n`,
  );
}

if (require.main === module) main();
