import type { EventMetadata, NewEvent, StoredEvent } from './event-store.types';

/**
 * One append = one document, because FerretDB has no multi-document transactions: a command's
 * events land together or not at all. See docs/adr/0002-event-store-commits-and-outbox.md.
 */
export interface CommitDocument {
  /**
   * `<streamId>@<version>`. FerretDB v1 only uses an index for a filter that is exactly
   * `{_id: <string>}`, so everything the hot paths look up is addressed by `_id`: a stream is read
   * by walking from `<id>@1` to `<id>@<lastVersion + 1>`, and a conflict is checked by `_id`.
   */
  _id: string;
  streamId: string;
  /** Version of the FIRST event of the commit. Unique with streamId: the concurrency check. */
  version: number;
  /** Version of the last event of the commit = the stream version once it is stored. */
  lastVersion: number;
  /** Global, unique order of commits; increasing within a stream; gaps allowed. */
  position: number;
  events: CommittedEvent[];
  createdAt: Date;
}

export interface CommittedEvent {
  type: string;
  payload: unknown;
  metadata: EventMetadata;
  timestamp: Date;
}

/**
 * The outbox: a copy of a commit waiting for the relay, in a collection that stays small (FerretDB
 * v1 scans a whole collection for any query, even by `_id`, so the relay must never read the
 * commits). Inserted just BEFORE the commit and `confirmed` just after it; deleted once published.
 * EventStore.readUnpublished resolves the entries whose writer died in between.
 */
export interface OutboxEntry extends Omit<CommitDocument, '_id'> {
  _id: string;
  commitId: string;
  confirmed: boolean;
}

export function commitId(streamId: string, version: number): string {
  return `${streamId}@${version}`;
}

export function toCommittedEvent(event: NewEvent): CommittedEvent {
  return {
    type: event.type,
    payload: event.payload,
    metadata: compactMetadata(event.metadata),
    timestamp: event.timestamp,
  };
}

export function toStoredEvents(
  commit: Pick<CommitDocument, 'streamId' | 'version' | 'position' | 'events'>,
): StoredEvent[] {
  return commit.events.map((event, index) => ({
    streamId: commit.streamId,
    version: commit.version + index,
    position: commit.position,
    type: event.type,
    payload: event.payload,
    metadata: compactMetadata(event.metadata),
    timestamp: event.timestamp,
  }));
}

// The driver stores `undefined` as null; optional metadata is left out instead, both ways.
function compactMetadata(metadata: EventMetadata): EventMetadata {
  const { eventId, correlationId, causationId, actor } = metadata;
  return {
    eventId,
    correlationId,
    ...(causationId != null ? { causationId } : {}),
    ...(actor != null ? { actor } : {}),
  };
}
