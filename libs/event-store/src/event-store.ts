import { randomUUID } from 'node:crypto';
import type mongoose from 'mongoose';
import { commitId, toCommittedEvent, toStoredEvents, type CommitDocument, type OutboxEntry } from './commit.document';
import { duplicateKeyIndex, isDuplicateKeyError } from './duplicate-key';
import { ConcurrencyConflictError, type NewEvent, type StoredEvent } from './event-store.types';
import { processPositionClock } from './position-clock';
import { StreamHeads, type Boundary } from './stream-heads';

export interface EventStoreOptions {
  /**
   * Commits collection; beside it `<collection>_outbox` (commits waiting for the relay).
   * Default `events`.
   */
  collection?: string;
  /**
   * An unconfirmed outbox entry older than this is checked against the commits (its writer is
   * slow or died after the commit). Default 2 s.
   */
  resolveAfterMs?: number;
  /**
   * An unconfirmed outbox entry whose commit is still missing after this long belongs to an
   * append that died before its commit, and is dropped. Must exceed any append's duration by far.
   * Default 10 min.
   */
  orphanAfterMs?: number;
}

export interface ReadAllOptions {
  /** First position to read (inclusive). Default: the beginning. */
  fromPosition?: number;
  /** Stop once this many events were yielded; a commit is never split, so it may overshoot. */
  limit?: number;
  /** Commits fetched per round trip. Default 500. */
  batchSize?: number;
}

/** A commit the relay has not published yet. */
export interface UnpublishedCommit {
  /** The outbox entry, to hand back to markPublished. */
  entryId: string;
  commitId: string;
  position: number;
  events: StoredEvent[];
}

const MAX_APPEND_ATTEMPTS = 5;
/** Commits read one `_id` lookup at a time before readStream switches to one query. */
const WALK_LIMIT = 8;

/**
 * Append-only event store on MongoDB 7 and FerretDB v1 (no transactions, change streams, TTL
 * indexes, $lookup or $facet). One document per append (a commit); a global position orders
 * commits; an outbox collection lists the commits OutboxRelay still has to publish.
 * See docs/adr/0002-event-store-commits-and-outbox.md.
 */
export class EventStore {
  private readonly commitsName: string;
  private readonly outboxName: string;
  private readonly resolveAfterMs: number;
  private readonly orphanAfterMs: number;
  private readonly heads = new StreamHeads();
  private flavor?: Promise<'ferretdb' | 'mongodb'>;

  constructor(
    private readonly connection: mongoose.Connection,
    options: EventStoreOptions = {},
  ) {
    this.commitsName = options.collection ?? 'events';
    this.outboxName = `${this.commitsName}_outbox`;
    this.resolveAfterMs = options.resolveAfterMs ?? 2_000;
    this.orphanAfterMs = options.orphanAfterMs ?? 10 * 60_000;
  }

  /** Idempotent; call at boot (connections are made with `autoIndex: false`). */
  async ensureIndexes(): Promise<void> {
    const commits = this.commits();
    // `_id` already makes (streamId, version) unique; the index states the invariant on its own
    // and serves MongoDB queries by stream.
    await commits.createIndex({ streamId: 1, version: 1 }, { unique: true, name: 'stream_version' });
    await commits.createIndex({ position: 1 }, { unique: true, name: 'position' });
    await this.outbox().createIndex({ position: 1 }, { name: 'position' });
  }

  /**
   * Appends `events` after version `expectedVersion` (0 = the stream must not exist yet) and
   * returns them as stored. Throws ConcurrencyConflictError when the stream is not exactly at
   * `expectedVersion`; then nothing was written.
   */
  async append(streamId: string, expectedVersion: number, events: NewEvent[]): Promise<StoredEvent[]> {
    if (!streamId) throw new TypeError('streamId must be a non-empty string');
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new TypeError(`expectedVersion must be an integer >= 0, got ${expectedVersion}`);
    }
    if (events.length === 0) return [];

    const previous = await this.boundaryAt(streamId, expectedVersion);
    const version = expectedVersion + 1;
    const commit: Omit<CommitDocument, 'position'> = {
      _id: commitId(streamId, version),
      streamId,
      version,
      lastVersion: expectedVersion + events.length,
      events: events.map(toCommittedEvent),
      createdAt: new Date(),
    };

    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      // Replay and the relay order a stream by position, so it grows within the stream.
      const position = processPositionClock.next(previous.position);
      // The entry goes first: a crash after it leaves an unconfirmed entry, which the relay
      // resolves; a crash between commit and entry would leave an event never published.
      const entry: OutboxEntry = { ...commit, _id: randomUUID(), commitId: commit._id, position, confirmed: false };
      await this.outbox().insertOne(entry);
      try {
        await this.commits().insertOne({ ...commit, position });
      } catch (error) {
        // Any other error leaves the outcome unknown: the entry stays for the relay to resolve.
        if (!isDuplicateKeyError(error)) throw error;
        await this.outbox().deleteOne({ _id: entry._id });
        if (await this.isStreamConflict(error, commit._id)) {
          throw new ConcurrencyConflictError(streamId, expectedVersion);
        }
        processPositionClock.skipPast(position); // another process took the same position
        continue;
      }
      // Not awaited: the commit is durable, and an entry left unconfirmed (crash, error) is
      // resolved by the relay after `resolveAfterMs`. Saves the caller one round trip.
      this.confirm(entry).catch(() => undefined);
      this.heads.remember(streamId, { version: commit.lastVersion, position });
      return toStoredEvents({ ...commit, position });
    }
    throw new Error(`append to ${streamId}: no free position after ${MAX_APPEND_ATTEMPTS} attempts`);
  }

  /** Every event of the stream in version order; [] for a stream that does not exist. */
  async readStream(streamId: string): Promise<StoredEvent[]> {
    const commits: CommitDocument[] = [];
    let head: Boundary = { version: 0, position: 0 };
    // Short streams (most aggregates) are walked by `_id`, the one lookup FerretDB v1 does without
    // decoding every document; past a few commits one query by stream is cheaper.
    for (let walked = 0; ; walked++) {
      if (walked === WALK_LIMIT) {
        const rest = await this.commits()
          .find({ streamId, version: { $gt: head.version } })
          .sort({ version: 1 })
          .toArray();
        commits.push(...rest);
        break;
      }
      const commit = await this.commits().findOne({ _id: commitId(streamId, head.version + 1) });
      if (!commit) break;
      commits.push(commit);
      head = { version: commit.lastVersion, position: commit.position };
    }
    const last = commits[commits.length - 1];
    if (last) this.heads.remember(streamId, { version: last.lastVersion, position: last.position });
    return commits.flatMap(toStoredEvents);
  }

  /** Current version of the stream (0 when it does not exist). */
  async streamVersion(streamId: string): Promise<number> {
    return (await this.head(streamId)).version;
  }

  /**
   * Every event in position order. Meant for rebuilds: on FerretDB it sorts the whole collection
   * in memory. Not a snapshot: a commit whose position was taken before the read but stored after
   * it is missed; rebuild while writers are quiet, or keep the live consumer running alongside.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const cursor = this.commits()
      .find({ position: { $gte: options.fromPosition ?? 0 } })
      .sort({ position: 1 })
      .batchSize(options.batchSize ?? 500);
    let yielded = 0;
    try {
      for await (const commit of cursor) {
        for (const event of toStoredEvents(commit)) yield event;
        yielded += commit.events.length;
        if (yielded >= limit) return;
      }
    } finally {
      await cursor.close();
    }
  }

  /**
   * For OutboxRelay: up to `limit` commits waiting to be published, in position order, read from
   * the outbox alone. An unconfirmed entry (its writer is between the two inserts, is slow, or
   * died) holds back the later entries of its stream, so that a stream is never published out
   * of order; past `resolveAfterMs` it is checked against the commits: published if its commit is
   * there, deleted if the commit holds another position (the append lost) or if it is still
   * missing past `orphanAfterMs` (the append died before its commit).
   */
  async readUnpublished(limit: number): Promise<UnpublishedCommit[]> {
    const entries = await this.oldestEntries(limit);
    const ready: UnpublishedCommit[] = [];
    const heldBack = new Set<string>();
    for (const entry of entries) {
      if (heldBack.has(entry.streamId)) continue;
      const state = entry.confirmed ? 'committed' : await this.resolve(entry);
      if (state === 'committed') {
        ready.push({
          entryId: entry._id,
          commitId: entry.commitId,
          position: entry.position,
          events: toStoredEvents(entry),
        });
      } else if (state === 'pending') {
        heldBack.add(entry.streamId);
      }
    }
    return ready;
  }

  /**
   * FerretDB v1 sorts by decoding the whole collection, which turns a backlog (a broker outage)
   * into quadratic work; unsorted with a limit, it reads only `limit` rows, in insertion order.
   * That order keeps each stream's entries in version order (a stream's next entry is inserted
   * after its previous commit), and the window is then sorted by position.
   */
  private async oldestEntries(limit: number): Promise<OutboxEntry[]> {
    if ((await this.serverFlavor()) === 'mongodb') {
      return this.outbox().find({}).sort({ position: 1 }).limit(limit).toArray();
    }
    const window = await this.outbox().find({}).limit(limit).toArray();
    return window.sort((a, b) => a.position - b.position);
  }

  private serverFlavor(): Promise<'ferretdb' | 'mongodb'> {
    this.flavor ??= this.db()
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => ('ferretdbVersion' in info ? 'ferretdb' : 'mongodb'));
    return this.flavor;
  }

  /** For OutboxRelay: the commits behind these entries are published. */
  async markPublished(entryIds: readonly string[]): Promise<void> {
    await this.deleteEntries(entryIds);
  }

  /** Outbox entries waiting for the relay (commits, plus appends in flight). */
  async countUnpublished(): Promise<number> {
    return this.outbox().countDocuments({});
  }

  /**
   * The stream's head, which must be exactly `expectedVersion`. Commits only collide on their
   * FIRST version, so without this check a writer whose expectedVersion falls inside a commit (a
   * version read from a projection) or past the end would write an overlapping or gapped commit.
   * Once `expectedVersion` is known to be a boundary, any commit written since starts at
   * expectedVersion + 1 and the `_id` uniqueness catches the race, so a cached head is enough.
   */
  private async boundaryAt(streamId: string, expectedVersion: number): Promise<Boundary> {
    if (expectedVersion === 0) return { version: 0, position: 0 };
    const known = this.heads.get(streamId);
    if (known && known.version === expectedVersion) return known;
    if (known && known.version > expectedVersion) throw new ConcurrencyConflictError(streamId, expectedVersion);
    const head = await this.head(streamId);
    if (head.version !== expectedVersion) throw new ConcurrencyConflictError(streamId, expectedVersion);
    return head;
  }

  /** Walks by `_id` from the last head seen; a long way is cut short by one query. */
  private async head(streamId: string): Promise<Boundary> {
    let head: Boundary = this.heads.get(streamId) ?? { version: 0, position: 0 };
    for (let walked = 0; ; walked++) {
      const next =
        walked < WALK_LIMIT
          ? await this.commits().findOne(
              { _id: commitId(streamId, head.version + 1) },
              { projection: { lastVersion: 1, position: 1 } },
            )
          : await this.commits().findOne(
              { streamId, version: { $gt: head.version } },
              { sort: { version: -1 }, projection: { lastVersion: 1, position: 1 } },
            );
      if (!next) break;
      head = { version: next.lastVersion, position: next.position };
      if (walked >= WALK_LIMIT) break;
    }
    this.heads.remember(streamId, head);
    return head;
  }

  private async isStreamConflict(error: unknown, id: string): Promise<boolean> {
    const index = duplicateKeyIndex(error, ['_id_', 'stream_version', 'position']);
    if (index === 'position') return false;
    if (index === '_id_' || index === 'stream_version') return true;
    // FerretDB does not name the index.
    return (await this.commits().findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  /**
   * Marks the entry publishable. If it is gone, the relay took it for an orphan (this append was
   * slower than `orphanAfterMs`) or already published it after resolving it: put it back, a
   * second publication is harmless. The other half of this handshake is in `resolve`.
   */
  private async confirm(entry: OutboxEntry): Promise<void> {
    const result = await this.outbox().updateOne({ _id: entry._id }, { $set: { confirmed: true } });
    if (result.matchedCount === 0) await this.putBack({ ...entry, confirmed: true });
  }

  private async resolve(entry: OutboxEntry): Promise<'committed' | 'pending' | 'dropped'> {
    const age = Date.now() - entry.createdAt.getTime();
    if (age < this.resolveAfterMs) return 'pending';
    const commit = await this.commits().findOne({ _id: entry.commitId }, { projection: { position: 1 } });
    if (commit?.position === entry.position) return 'committed';
    if (commit) {
      await this.outbox().deleteOne({ _id: entry._id });
      return 'dropped';
    }
    if (age < this.orphanAfterMs) return 'pending';
    // Delete first, then look again: a commit that landed in between gets its entry back (and
    // the writer's `confirm` puts it back too if it comes after the delete).
    await this.outbox().deleteOne({ _id: entry._id });
    const late = await this.commits().findOne({ _id: entry.commitId }, { projection: { position: 1 } });
    if (late?.position === entry.position) await this.putBack({ ...entry, confirmed: true });
    return 'dropped';
  }

  private async putBack(entry: OutboxEntry): Promise<void> {
    try {
      await this.outbox().insertOne(entry);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // the other side of the handshake was first
    }
  }

  private async deleteEntries(entryIds: readonly string[]): Promise<void> {
    if (entryIds.length === 0) return;
    // One `_id` equality per delete: the form FerretDB v1 runs without scanning the collection.
    await this.outbox().bulkWrite(
      entryIds.map((id) => ({ deleteOne: { filter: { _id: id } } })),
      { ordered: false },
    );
  }

  private commits(): mongoose.mongo.Collection<CommitDocument> {
    return this.db().collection<CommitDocument>(this.commitsName);
  }

  private outbox(): mongoose.mongo.Collection<OutboxEntry> {
    return this.db().collection<OutboxEntry>(this.outboxName);
  }

  private db(): mongoose.mongo.Db {
    const db = this.connection.db;
    if (!db) throw new Error('EventStore needs an open connection: await connectMongo(url, dbName) first.');
    return db;
  }
}
