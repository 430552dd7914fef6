import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteEntry } from '@integrations/contracts';
import { createRouteTable, loadRouteTable } from './route-table';
import { seedCmsPages, seedOrders, seedProducts, seedStoreConfigs, type Product } from './seed-data';

/** The gateway passes the verified caller in this header; we echo it so tests can see it arrived. */
export const INTEGRATION_ID_HEADER = 'x-integration-id';
export const SEEN_INTEGRATION_ID_HEADER = 'x-seen-integration-id';

const MAX_BODY_BYTES = 64 * 1024;

interface Reply {
  status: number;
  body: unknown;
}

type Handler = (request: ApiRequest) => Reply | Promise<Reply>;

interface ApiRequest {
  method: string;
  /** Raw path segments after `/V1`, e.g. ['products', 'ABC%2F10']. */
  segments: string[];
  /** Decoded parameters of the mapped route, e.g. {sku: 'ABC/10'}. */
  params: Record<string, string>;
  query: URLSearchParams;
  readBody: () => Promise<unknown>;
}

export interface CommerceApiRoutes {
  /** The routes to answer; default: the route map file (COMMERCE_API_ROUTES_FILE, else config/routes.json). */
  routes?: readonly RouteEntry[];
}

/**
 * A stand-in commerce API with Magento's paths and response shapes, for local runs and gateway
 * tests. It does no authentication of its own: it trusts the gateway in front of it. It answers
 * every route of the route map: a few with seed data, the others with a generic stand-in body (the
 * route and its parameters), so any call the acl lets through gets a 200.
 */
export function createCommerceApi({
  routes = loadRouteTable(process.env.COMMERCE_API_ROUTES_FILE),
}: CommerceApiRoutes = {}) {
  const products = new Map<string, Product>(seedProducts().map((p) => [p.sku, p]));
  const orders = seedOrders();
  const cmsPages = seedCmsPages();
  const storeConfigs = seedStoreConfigs();
  const route = createRouteTable(routes);

  // By route id of the map; the other mapped routes get `standIn`.
  const handlers: Record<string, Handler> = {
    'GET /V1/products': ({ query }) => ok(searchResult([...products.values()], query)),
    'GET /V1/products/:sku': ({ params }) => {
      const found = products.get(params.sku);
      return found
        ? ok(found)
        : notFound("The product that was requested doesn't exist. Verify the product and try again.");
    },
    'POST /V1/products': async ({ readBody }) => {
      const body = (await readBody()) as { product?: Partial<Product> } | null;
      const input = body?.product;
      if (!input || typeof input !== 'object') return required('product');
      if (typeof input.sku !== 'string' || input.sku.length === 0) return required('sku');
      // Magento's save is an upsert by SKU.
      const now = new Date().toISOString().replace('T', ' ').slice(0, 19);
      const base: Product = products.get(input.sku) ?? {
        id: Math.max(0, ...[...products.values()].map((p) => p.id)) + 1,
        sku: input.sku,
        name: input.sku,
        attribute_set_id: 4,
        price: 0,
        status: 1,
        visibility: 4,
        type_id: 'simple',
        created_at: now,
        updated_at: now,
        extension_attributes: {},
        custom_attributes: [],
      };
      const saved: Product = {
        ...base,
        ...input,
        id: base.id,
        sku: base.sku,
        created_at: base.created_at,
        updated_at: now,
      };
      products.set(saved.sku, saved);
      return ok(saved);
    },
    'GET /V1/orders': ({ query }) => ok(searchResult(orders, query)),
    'GET /V1/cmsPage/:pageId': ({ params }) => {
      const id = params.pageId;
      const page = cmsPages.find((p) => String(p.id) === id || p.identifier === id);
      return page
        ? ok(page)
        : { status: 404, body: { message: 'The CMS page with the "%1" ID doesn\'t exist.', parameters: [id] } };
    },
    'GET /V1/store/storeConfigs': () => ok(storeConfigs),
  };

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const seen = req.headers[INTEGRATION_ID_HEADER];
    if (typeof seen === 'string') res.setHeader(SEEN_INTEGRATION_ID_HEADER, seen);

    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt < 0 ? target : target.slice(0, queryAt);
    const segments = apiSegments(path);
    let hit: ReturnType<typeof route> = null;
    try {
      hit = segments && route(req.method ?? 'GET', segments);
    } catch {
      // Malformed percent-encoding in a parameter.
      return send(res, { status: 400, body: { message: 'The request path is not valid.' } });
    }
    if (!hit || !segments) return send(res, notFound('Request does not match any route.'));
    const { id, params } = hit;

    try {
      const request: ApiRequest = {
        method: req.method ?? 'GET',
        segments,
        params,
        query: new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1)),
        readBody: () => readJson(req),
      };
      const handler = handlers[id];
      const reply = handler ? await handler(request) : await standIn(id, params, request);
      send(res, reply);
    } catch (error) {
      send(
        res,
        error instanceof BadRequest
          ? { status: 400, body: { message: error.message } }
          : { status: 500, body: { message: 'Internal Error.' } },
      );
    }
  };
}

/** Any other mapped route: which route answered, with what parameters (a JSON body is read, not kept). */
async function standIn(id: string, params: Record<string, string>, request: ApiRequest): Promise<Reply> {
  await request.readBody();
  return ok({ route: id, params });
}

/**
 * `/rest/V1/...` or `/rest/<store>/V1/...` -> the segments after V1; anything else -> null. One
 * trailing slash is ignored, as Magento does.
 */
function apiSegments(path: string): string[] | null {
  const parts = path
    .replace(/(.)\/$/, '$1')
    .split('/')
    .slice(1);
  if (parts[0] !== 'rest') return null;
  const rest =
    parts[1] === 'V1'
      ? parts.slice(2)
      : /^[a-z0-9_]+$/.test(parts[1] ?? '') && parts[2] === 'V1'
        ? parts.slice(3)
        : null;
  return rest && rest.length > 0 && rest.every((s) => s.length > 0) ? rest : null;
}

/** Magento's searchCriteria paging: pageSize and currentPage (1-based); no paging when absent. */
function searchResult<T>(all: T[], query: URLSearchParams) {
  const pageSize = positiveInt(query.get('searchCriteria[pageSize]'));
  const currentPage = positiveInt(query.get('searchCriteria[currentPage]')) ?? 1;
  const items = pageSize ? all.slice((currentPage - 1) * pageSize, currentPage * pageSize) : all;
  return {
    items,
    search_criteria: { filter_groups: [], ...(pageSize ? { page_size: pageSize, current_page: currentPage } : {}) },
    total_count: all.length,
  };
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^[1-9][0-9]{0,5}$/.test(value)) return undefined;
  return Number(value);
}

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('Decoding error: the request body is not valid JSON.');
  }
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const notFound = (message: string): Reply => ({ status: 404, body: { message } });
const required = (fieldName: string): Reply => ({
  status: 400,
  body: { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName } },
});

function send(res: ServerResponse, { status, body }: Reply): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
