import type { IntegrationEvent, IntegrationGridStatus, RateLimit } from '@integrations/contracts';
import { applyToProjection, type ProjectionResult } from '@integrations/event-store';
import type { mongo } from 'mongoose';
import type { IntegrationStatus } from './integration.decider';
import type { ProjectedEvent } from './projected-event';

export const GRID_COLLECTION = 'integration_grid';

/** One row of the admin grid. Deleted integrations stay as tombstones (`deleted: true`) so that a
 * redelivered IntegrationCreated cannot bring them back; every query excludes them. */
export interface GridDocument {
  _id: string;
  version: number;
  name: string;
  nameLower: string;
  email: string | null;
  callbackUrl: string | null;
  identityLinkUrl: string | null;
  status: IntegrationStatus;
  setupType: 'manual' | 'config';
  resourceAccess: 'all' | 'custom';
  resources: string[];
  insecure: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
  uses: number;
  deleted: boolean;
  // The controls (docs/adr/0010); absent on rows projected before they existed.
  suspended?: boolean;
  expiresAt?: Date | null;
  ipAllowList?: string[];
  rateLimit?: RateLimit | null;
  /** `expiresAt` is set and no IntegrationExpired was published for it yet (the expiry job's query). */
  expiryPending?: boolean;
}

/** Latest usage report per integration, whether or not its grid row exists yet. */
export interface UsageDocument {
  _id: string;
  lastUsedAt: Date;
  uses: number;
}

export const USAGE_COLLECTION = 'integration_usage';

export const GRID_SORT_FIELDS = ['name', 'status', 'createdAt', 'updatedAt'] as const;
export type GridSortField = (typeof GRID_SORT_FIELDS)[number];

export interface GridQuery {
  /** Case-insensitive "contains". */
  name?: string;
  /** As the Status column shows it (suspended, then expired, then the activation status). */
  status?: IntegrationGridStatus;
  setupType?: 'manual' | 'config';
  sort: { field: GridSortField; direction: 1 | -1 };
  page: number;
  pageSize: number;
}

export interface GridPage {
  items: GridDocument[];
  total: number;
  page: number;
  pageSize: number;
}

const SORT_KEY: Record<GridSortField, keyof GridDocument> = {
  name: 'nameLower',
  status: 'status',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
};

/** Regex metacharacters in a user's search text are literal characters, not a pattern. */
export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type GridUpdate = mongo.UpdateFilter<GridDocument>;

/** The admin grid read model, fed by integration events; idempotent by (stream id, version). */
export class IntegrationGridProjection {
  /**
   * @param usage where usage reports wait for their row: the oauth topic and ours are not ordered
   * with each other, so a report can arrive before the integration's first event is projected.
   */
  constructor(
    readonly collection: mongo.Collection<GridDocument>,
    private readonly usage?: mongo.Collection<UsageDocument>,
  ) {}

  async ensureIndexes(): Promise<void> {
    // Every query filters on `deleted`; the sort key follows so a page is read in index order.
    const indexes: Array<[string, mongo.IndexSpecification]> = [
      ['live_name', { deleted: 1, nameLower: 1, _id: 1 }],
      ['live_created', { deleted: 1, createdAt: 1, _id: 1 }],
      ['live_updated', { deleted: 1, updatedAt: 1, _id: 1 }],
      ['live_status_name', { deleted: 1, status: 1, nameLower: 1, _id: 1 }],
      ['live_status_created', { deleted: 1, status: 1, createdAt: 1, _id: 1 }],
      ['live_status_updated', { deleted: 1, status: 1, updatedAt: 1, _id: 1 }],
    ];
    for (const [name, keys] of indexes) await this.collection.createIndex(keys, { name });
    await this.collection.createIndex({ expiryPending: 1, expiresAt: 1 }, { name: 'expiry_due' });
  }

  /** Integrations whose expiry passed and was not published yet (expire-integration/expiry-job.ts). */
  async dueExpiries(now: Date, limit: number): Promise<string[]> {
    const rows = await this.collection
      .find({ expiryPending: true, expiresAt: { $lte: now }, deleted: false }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    return rows.map((row) => row._id);
  }

  async apply(event: ProjectedEvent): Promise<ProjectionResult> {
    const result = await applyToProjection(
      this.collection as unknown as Parameters<typeof applyToProjection>[0],
      { id: event.streamId, version: event.version },
      gridUpdate(event) as Parameters<typeof applyToProjection>[2],
    );
    if (result === 'applied' && event.type === 'IntegrationCreated') await this.mergePendingUsage(event.streamId);
    return result;
  }

  /**
   * Usage comes from the oauth service's stream, not ours, so it cannot ride on `version`. Both
   * figures only grow, so `$max` makes a repeated or late message harmless. A row that is not
   * projected yet is skipped: the next report carries the running total again.
   */
  async recordUsage(integrationId: string, lastUsedAt: Date, uses: number): Promise<boolean> {
    // Kept first, so a row created right after this report still finds it (mergePendingUsage).
    await this.usage?.updateOne({ _id: integrationId }, { $max: { lastUsedAt, uses } }, { upsert: true });
    const result = await this.collection.updateOne({ _id: integrationId }, { $max: { lastUsedAt, uses } });
    return result.matchedCount === 1;
  }

  /** Applies a usage report that arrived before the row existed. */
  private async mergePendingUsage(integrationId: string): Promise<void> {
    const pending = await this.usage?.findOne({ _id: integrationId });
    if (!pending) return;
    await this.collection.updateOne(
      { _id: integrationId },
      { $max: { lastUsedAt: pending.lastUsedAt, uses: pending.uses } },
    );
  }

  async versionOf(id: string): Promise<number> {
    return (await this.collection.findOne({ _id: id }, { projection: { version: 1 } }))?.version ?? 0;
  }

  /** `now`: what "expired" is as of (the filter compares `expiresAt` with it). */
  async list(query: GridQuery, now = new Date()): Promise<GridPage> {
    const filter: mongo.Filter<GridDocument> = {
      deleted: false,
      ...(query.status ? statusFilter(query.status, now) : {}),
    };
    if (query.setupType) filter.setupType = query.setupType;
    const name = query.name?.trim().toLowerCase();
    if (name) filter.nameLower = { $regex: escapeRegex(name) };
    const { field, direction } = query.sort;
    const [items, total] = await Promise.all([
      this.collection
        .find(filter)
        .sort({ [SORT_KEY[field]]: direction, _id: direction })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }
}

/**
 * The rows the Status column shows as `status`: a suspension hides both the expiry and the
 * activation status, an expiry hides the activation status. `$ne: true` and `$not: {$gt}` also match
 * rows projected before the controls existed (no such field).
 */
export function statusFilter(status: IntegrationGridStatus, now: Date): mongo.Filter<GridDocument> {
  const notSuspended = { suspended: { $ne: true } };
  switch (status) {
    case 'suspended':
      return { suspended: true };
    case 'expired':
      return { ...notSuspended, expiresAt: { $lte: now } };
    case 'active':
    case 'inactive':
    case 'reset':
      return { ...notSuspended, status: status as IntegrationStatus, expiresAt: { $not: { $lte: now } } };
    default: {
      const _exhaustive: never = status;
      return _exhaustive;
    }
  }
}

/** The update one event makes to its row; an event type this build does not know only moves `version`. */
export function gridUpdate(event: ProjectedEvent): GridUpdate {
  const at = event.timestamp;
  const known = event as unknown as IntegrationEvent & { type: string };
  switch (known.type) {
    case 'IntegrationCreated': {
      const { integrationId: _id, expiresAt, ipAllowList, rateLimit, ...data } = known.payload;
      // Usage starts empty: recordUsage never creates a row, so nothing can precede this event.
      return {
        $set: {
          ...data,
          suspended: false,
          expiresAt: expiresAt ? new Date(expiresAt) : null,
          expiryPending: Boolean(expiresAt),
          ipAllowList: ipAllowList ?? [],
          rateLimit: rateLimit ?? null,
          nameLower: data.name.toLowerCase(),
          status: 'inactive',
          createdAt: at,
          updatedAt: at,
          deleted: false,
          lastUsedAt: null,
          uses: 0,
        },
      };
    }
    case 'IntegrationUpdated': {
      const changes: Record<string, unknown> = Object.fromEntries(
        Object.entries(known.payload.changes).filter(([, value]) => value !== undefined),
      );
      if (changes.expiresAt !== undefined) {
        changes.expiryPending = changes.expiresAt !== null;
        if (typeof changes.expiresAt === 'string') changes.expiresAt = new Date(changes.expiresAt);
      }
      return {
        $set: {
          ...changes,
          ...(known.payload.changes.name !== undefined ? { nameLower: known.payload.changes.name.toLowerCase() } : {}),
          updatedAt: at,
        },
      };
    }
    case 'IntegrationActivationStarted':
      return { $set: { status: 'inactive', updatedAt: at } };
    case 'IntegrationActivated':
    case 'IntegrationReauthorized':
      return { $set: { status: 'active', updatedAt: at } };
    case 'IntegrationReset':
      return { $set: { status: 'reset', updatedAt: at } };
    case 'IntegrationDeleted':
      return { $set: { deleted: true, updatedAt: at } };
    case 'IntegrationSuspended':
      return { $set: { suspended: true, updatedAt: at } };
    case 'IntegrationResumed':
      return { $set: { suspended: false, updatedAt: at } };
    // The row shows "expired" from `expiresAt` on already; the event ends the job's interest in it.
    case 'IntegrationExpired':
      return { $set: { expiryPending: false } };
    default:
      return { $set: {} };
  }
}
