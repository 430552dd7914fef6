import type mongoose from 'mongoose';
import { commitId, toCommittedEvent, toStoredEvents, type CommitDocument } from './commit.document';
import { duplicateKeyIndex, isDuplicateKeyError } from './duplicate-key';
import { ConcurrencyConflictError, type NewEvent, type StoredEvent } from './event-store.types';

export interface EventStoreOptions {
  /** Commits collection; the position counter lives in `<collection>_counters`. Default `events`. */
  collection?: string;
}

export interface ReadAllOptions {
  /** First position to read (inclusive). Default: the beginning. */
  fromPosition?: number;
  /** Stop once this many events were yielded; a commit is never split, so it may overshoot. */
  limit?: number;
  /** Commits fetched per query. Default 500. */
  batchSize?: number;
}

/** A commit the relay has not published yet. */
export interface UnpublishedCommit {
  id: string;
  position: number;
  events: StoredEvent[];
}

interface CounterDocument {
  _id: string;
  value: number;
}

const POSITION_COUNTER = 'position';
const MAX_POSITION_RETRIES = 5;

/**
 * Append-only event store on MongoDB / FerretDB. A stream's events are stored in commits (one
 * document per append), each with a global position; the commits double as the outbox that
 * OutboxRelay publishes. Needs no transaction, change stream, TTL index, $lookup or $facet.
 */
export class EventStore {
  private readonly commitsName: string;
  private readonly countersName: string;

  constructor(
    private readonly connection: mongoose.Connection,
    options: EventStoreOptions = {},
  ) {
    this.commitsName = options.collection ?? 'events';
    this.countersName = `${this.commitsName}_counters`;
  }

  /** Idempotent; call at boot (connections are made with `autoIndex: false`). */
  async ensureIndexes(): Promise<void> {
    const commits = this.commits();
    await commits.createIndex({ streamId: 1, version: 1 }, { unique: true, name: 'stream_version' });
    await commits.createIndex({ position: 1 }, { unique: true, name: 'position' });
    await commits.createIndex({ published: 1, position: 1 }, { name: 'unpublished' });
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

    // Commits only collide on their FIRST version, so the unique index alone would let a writer
    // whose expectedVersion falls inside an existing commit (a version read from a projection, an
    // If-Match header) or beyond the end write an overlapping or gapped commit. Checking the head
    // first closes that: if the head was exactly `expectedVersion`, any commit written since
    // starts at expectedVersion + 1 and the unique index catches the race. Version 0 needs no
    // read: every existing stream has a commit starting at 1.
    if (expectedVersion > 0 && (await this.streamVersion(streamId)) !== expectedVersion) {
      throw new ConcurrencyConflictError(streamId, expectedVersion);
    }

    const version = expectedVersion + 1;
    const commit: Omit<CommitDocument, 'position'> = {
      _id: commitId(streamId, version),
      streamId,
      version,
      lastVersion: expectedVersion + events.length,
      events: events.map(toCommittedEvent),
      published: false,
      createdAt: new Date(),
    };
    for (let attempt = 1; ; attempt++) {
      const position = await this.nextPosition();
      try {
        await this.commits().insertOne({ ...commit, position });
        return toStoredEvents({ ...commit, position });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        if (await this.isStreamConflict(error, streamId, version)) {
          throw new ConcurrencyConflictError(streamId, expectedVersion);
        }
        if (attempt >= MAX_POSITION_RETRIES) throw error;
        // The counter handed out a position already used (counter document lost or restored
        // from an older backup): move it past the highest stored position and try again.
        await this.reseedPositionCounter();
      }
    }
  }

  /** Every event of the stream in version order; [] for a stream that does not exist. */
  async readStream(streamId: string): Promise<StoredEvent[]> {
    const commits = await this.commits().find({ streamId }).sort({ version: 1 }).toArray();
    return commits.flatMap(toStoredEvents);
  }

  /** Current version of the stream (0 when it does not exist). */
  async streamVersion(streamId: string): Promise<number> {
    const head = await this.commits().findOne(
      { streamId },
      { sort: { version: -1 }, projection: { lastVersion: 1 } },
    );
    return head?.lastVersion ?? 0;
  }

  /**
   * Every event in position order, fetched in batches. Not a snapshot: a commit that becomes
   * visible behind the read cursor (positions are taken before the insert) is not returned;
   * rebuild projections while writers are quiet, or run the live consumer alongside.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    const batchSize = options.batchSize ?? 500;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let filter: { position: { $gte: number } | { $gt: number } } = { position: { $gte: options.fromPosition ?? 0 } };
    let yielded = 0;
    while (yielded < limit) {
      const commits = await this.commits().find(filter).sort({ position: 1 }).limit(batchSize).toArray();
      for (const commit of commits) {
        for (const event of toStoredEvents(commit)) yield event;
        yielded += commit.events.length;
        if (yielded >= limit) return;
      }
      if (commits.length < batchSize) return;
      filter = { position: { $gt: commits[commits.length - 1]!.position } };
    }
  }

  /** For OutboxRelay: the oldest unpublished commits, in position order. */
  async readUnpublished(limit: number): Promise<UnpublishedCommit[]> {
    const commits = await this.commits().find({ published: false }).sort({ position: 1 }).limit(limit).toArray();
    return commits.map((commit) => ({ id: commit._id, position: commit.position, events: toStoredEvents(commit) }));
  }

  /** For OutboxRelay: flags commits as published (by id, so out-of-order positions are safe). */
  async markPublished(commitIds: readonly string[]): Promise<void> {
    if (commitIds.length === 0) return;
    await this.commits().updateMany({ _id: { $in: [...commitIds] } }, { $set: { published: true } });
  }

  /** Number of commits waiting for the relay. */
  async countUnpublished(): Promise<number> {
    return this.commits().countDocuments({ published: false });
  }

  private async nextPosition(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const counter = await this.counters().findOneAndUpdate(
          { _id: POSITION_COUNTER },
          { $inc: { value: 1 } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!counter) throw new Error('position counter upsert returned no document');
        return counter.value;
      } catch (error) {
        // Two first-ever appends may race to create the counter; the loser just goes again.
        if (!isDuplicateKeyError(error) || attempt >= MAX_POSITION_RETRIES) throw error;
      }
    }
  }

  private async reseedPositionCounter(): Promise<void> {
    const highest = await this.commits().findOne({}, { sort: { position: -1 }, projection: { position: 1 } });
    await this.counters().updateOne(
      { _id: POSITION_COUNTER },
      { $max: { value: highest?.position ?? 0 } },
      { upsert: true },
    );
  }

  private async isStreamConflict(error: unknown, streamId: string, version: number): Promise<boolean> {
    const index = duplicateKeyIndex(error, ['_id_', 'stream_version', 'position']);
    if (index === 'position') return false;
    if (index === '_id_' || index === 'stream_version') return true;
    return (await this.commits().countDocuments({ streamId, version }, { limit: 1 })) > 0;
  }

  private commits(): mongoose.mongo.Collection<CommitDocument> {
    return this.db().collection<CommitDocument>(this.commitsName);
  }

  private counters(): mongoose.mongo.Collection<CounterDocument> {
    return this.db().collection<CounterDocument>(this.countersName);
  }

  private db(): mongoose.mongo.Db {
    const db = this.connection.db;
    if (!db) throw new Error('EventStore needs an open connection: await connectMongo(url, dbName) first.');
    return db;
  }
}
