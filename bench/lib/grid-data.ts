import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { GridDocument } from '../../apps/registry/src/integration/integration-grid.projection';

/**
 * Synthetic grid rows for bench:grid. Deterministic (seeded) so two runs load the same data and a
 * filter matches the same share of rows every time. The shape is exactly what the grid projection
 * writes for IntegrationCreated (+ activation/reset): bench:grid appends a few integrations through
 * the API too and compares their stored shape with these keys.
 */
const VENDORS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent'];
const SYSTEMS = ['ERP', 'CRM', 'PIM', 'WMS', 'Marketplace', 'Analytics', 'Loyalty', 'Shipping', 'Payments', 'Search'];
const SUFFIXES = ['Connector', 'Sync', 'Bridge', 'Feed', 'Export'];
const RESOURCES = [
  'Magento_Catalog::products',
  'Magento_Sales::sales',
  'Magento_Customer::customer',
  'Magento_Cms::page',
];

/** Status mix of a long-lived installation: most integrations were activated at some point. */
const STATUS_WEIGHTS: Array<[GridDocument['status'], number]> = [
  ['active', 0.55],
  ['inactive', 0.35],
  ['reset', 0.1],
];

/** Mulberry32: small, fast, good enough to spread synthetic data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function pickStatus(random: () => number): GridDocument['status'] {
  let roll = random();
  for (const [status, weight] of STATUS_WEIGHTS) {
    if ((roll -= weight) < 0) return status;
  }
  return 'active';
}

/** Row `index` of the synthetic data set; names are unique (the index is part of the name). */
export function gridRow(index: number, random: () => number, epoch: number): GridDocument {
  const name = `${pick(random, VENDORS)} ${pick(random, SYSTEMS)} ${pick(random, SUFFIXES)} ${String(index).padStart(6, '0')}`;
  const createdAt = new Date(epoch + index * 60_000);
  const status = pickStatus(random);
  const callbackUrl = random() < 0.3 ? `https://${name.split(' ')[0]!.toLowerCase()}.example.com/oauth/callback` : null;
  const custom = random() < 0.6;
  const used = status === 'active' && random() < 0.7;
  return {
    _id: randomUUID(),
    version: status === 'inactive' ? 1 : 2,
    name,
    nameLower: name.toLowerCase(),
    email: `ops+${index}@example.com`,
    callbackUrl,
    identityLinkUrl: callbackUrl ? callbackUrl.replace('/oauth/callback', '/oauth/login') : null,
    status,
    setupType: random() < 0.05 ? 'config' : 'manual',
    resourceAccess: custom ? 'custom' : 'all',
    resources: custom ? RESOURCES.filter(() => random() < 0.5) : [],
    insecure: false,
    createdAt,
    updatedAt: status === 'inactive' ? createdAt : new Date(createdAt.getTime() + 3_600_000),
    lastUsedAt: used ? new Date(createdAt.getTime() + 7_200_000) : null,
    uses: used ? 1 + Math.floor(random() * 10_000) : 0,
    deleted: false,
    // As IntegrationCreated projects an integration without controls (docs/adr/0010).
    suspended: false,
    expiresAt: null,
    expiryPending: false,
    ipAllowList: [],
    rateLimit: null,
  };
}

export interface LoadProgress {
  (inserted: number, total: number): void;
}

/**
 * Bulk-inserts `count` rows straight into the grid collection. This bypasses the event path
 * (decider -> event store -> relay -> Kafka -> projector) on purpose: 100,000 creates through it
 * would take far longer than the benchmark's budget on a shared 2-core machine, and the benchmark
 * measures the read side only.
 */
export async function loadGridRows(
  collection: mongo.Collection<GridDocument>,
  count: number,
  options: { seed?: number; batchSize?: number; onProgress?: LoadProgress } = {},
): Promise<void> {
  const random = seededRandom(options.seed ?? 42);
  const batchSize = options.batchSize ?? 2_000;
  const epoch = Date.UTC(2020, 0, 1);
  for (let start = 0; start < count; start += batchSize) {
    const batch: GridDocument[] = [];
    for (let index = start; index < Math.min(count, start + batchSize); index++)
      batch.push(gridRow(index, random, epoch));
    await collection.insertMany(batch, { ordered: false });
    options.onProgress?.(Math.min(count, start + batchSize), count);
  }
}

export const GRID_VOCABULARY = { VENDORS, SYSTEMS, SUFFIXES };
