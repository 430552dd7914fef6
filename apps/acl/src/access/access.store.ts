import type { IntegrationAccess } from '@integrations/contracts';
import type { ChangeSignal } from '@integrations/event-store';
import type { mongo } from 'mongoose';
import { holdConflict } from '../acl.errors';
import type { GrantsProjection } from '../grants/grants.projection';
import { effectiveAccess } from './effective-access';

export const ACCESS_SNAPSHOTS_COLLECTION = 'access_snapshots';
export const ACCESS_HOLDS_COLLECTION = 'access_holds';

/** An integration's whole access state at a version, as the registry pushed it. Insert-only. */
export interface AccessSnapshotDocument {
  /** `<integrationId>@<version>`: two writers of one version write the same document. */
  _id: string;
  integrationId: string;
  version: number;
  access: IntegrationAccess;
  storedAt: Date;
}

/** Placed before a narrowing command commits; restricts access until its snapshot arrives. */
export interface AccessHoldDocument {
  /** The command id. */
  _id: string;
  integrationId: string;
  /** The version the command will produce (`access.version`). */
  version: number;
  access: IntegrationAccess;
  placedAt: Date;
}

export interface AccessHold {
  commandId: string;
  version: number;
  access: IntegrationAccess;
  placedAt: string;
}

/** `GET /access/:integrationId`: what decisions enforce, and where it comes from. */
export interface AccessState {
  effective: IntegrationAccess | null;
  holds: AccessHold[];
  snapshotVersion: number | null;
  projectionVersion: number | null;
}

/**
 * The acl's side of docs/adr/0006 §2: holds and snapshots in its own database, and the effective
 * access computed from them and the grants projection. Every write is followed by a move of the
 * `access` change signal before it resolves, so a caller that replies afterwards knows every replica
 * will read the database again for the next call (§3).
 */
export class AccessStore {
  constructor(
    private readonly snapshots: mongo.Collection<AccessSnapshotDocument>,
    private readonly holds: mongo.Collection<AccessHoldDocument>,
    private readonly projection: Pick<GrantsProjection, 'find'>,
    private readonly signal: Pick<ChangeSignal, 'changed'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async ensureIndexes(): Promise<void> {
    await this.snapshots.createIndex({ integrationId: 1 }, { name: 'snapshot_integration' });
    await this.holds.createIndex({ integrationId: 1 }, { name: 'hold_integration' });
    await this.holds.createIndex({ placedAt: 1 }, { name: 'hold_placed_at' });
  }

  /**
   * A unique insert by command id. Placing the same hold again (a retry) is a no-op; another
   * integration or version under the same command id is a 409.
   */
  async placeHold(commandId: string, access: IntegrationAccess): Promise<void> {
    try {
      await this.holds.insertOne({
        _id: commandId,
        integrationId: access.integrationId,
        version: access.version,
        access,
        placedAt: this.now(),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.holds.findOne({ _id: commandId });
      // Gone again (released in between): the command is over, nothing to hold.
      if (existing && (existing.integrationId !== access.integrationId || existing.version !== access.version))
        throw holdConflict(commandId);
    }
    await this.signal.changed();
  }

  /** Idempotent; a hold of another integration is left alone. */
  async releaseHolds(integrationId: string, commandIds: readonly string[]): Promise<void> {
    if (commandIds.length === 0) return;
    await this.holds.deleteMany({ _id: { $in: [...commandIds] }, integrationId });
    await this.signal.changed();
  }

  /**
   * Insert-only: a snapshot of a version already stored is the same document. Older snapshots of the
   * integration are dropped afterwards (never before, so there is always one): only the newest counts.
   * `releaseHolds` (the hold of the command that produced this version, or the stale holds the
   * sweeper resolved) go after the snapshot is in, so that access is never wider in between.
   */
  async publishSnapshot(access: IntegrationAccess, releaseHolds: readonly string[] = []): Promise<void> {
    const { integrationId, version } = access;
    try {
      await this.snapshots.insertOne({
        _id: `${integrationId}@${version}`,
        integrationId,
        version,
        access,
        storedAt: this.now(),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await this.snapshots.deleteMany({ integrationId, version: { $lt: version } });
    if (releaseHolds.length > 0) await this.holds.deleteMany({ _id: { $in: [...releaseHolds] }, integrationId });
    await this.signal.changed();
  }

  async read(integrationId: string): Promise<AccessState> {
    const [projection, snapshots, holds] = await Promise.all([
      this.projection.find(integrationId),
      this.snapshots.find({ integrationId }).toArray(),
      this.holds.find({ integrationId }).toArray(),
    ]);
    // A handful of documents per integration (older snapshots are pruned): picked here rather than
    // sorted by the database, which FerretDB would do after decoding them anyway.
    const snapshot = snapshots.reduce<AccessSnapshotDocument | null>(
      (newest, doc) => (!newest || doc.version > newest.version ? doc : newest),
      null,
    );
    return {
      effective: effectiveAccess({
        projection,
        snapshot: snapshot?.access ?? null,
        holds: holds.map((hold) => hold.access),
      }),
      holds: holds
        .sort((a, b) => a.version - b.version)
        .map((hold) => ({
          commandId: hold._id,
          version: hold.version,
          access: hold.access,
          placedAt: hold.placedAt.toISOString(),
        })),
      snapshotVersion: snapshot?.version ?? null,
      projectionVersion: projection?.version ?? null,
    };
  }

  /** Holds placed before `cutoff`, grouped by integration (the sweeper resolves them). */
  async holdsPlacedBefore(cutoff: Date, limit = 500): Promise<Map<string, AccessHoldDocument[]>> {
    const stale = await this.holds
      .find({ placedAt: { $lt: cutoff } })
      .limit(limit)
      .toArray();
    const byIntegration = new Map<string, AccessHoldDocument[]>();
    for (const hold of stale)
      byIntegration.set(hold.integrationId, [...(byIntegration.get(hold.integrationId) ?? []), hold]);
    return byIntegration;
  }
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000;
}
