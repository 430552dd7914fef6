import type { EventMetadata, NewEvent, StoredEvent } from './event-store.types';

/**
 * One append = one document, because FerretDB has no multi-document transactions: a command's
 * events land together or not at all. See docs/adr/0002-event-store-commits-and-outbox.md.
 */
export interface CommitDocument {
  /** `<streamId>@<version>`: readable, and unique like (streamId, version). */
  _id: string;
  streamId: string;
  /** Version of the FIRST event of the commit. Unique with streamId: the concurrency check. */
  version: number;
  /** Version of the last event of the commit = the stream version once it is stored. */
  lastVersion: number;
  /** Global, unique, increasing (with gaps) order of commits. */
  position: number;
  events: CommittedEvent[];
  /** The outbox flag: false until the relay has published every event of the commit. */
  published: boolean;
  createdAt: Date;
}

export interface CommittedEvent {
  type: string;
  payload: unknown;
  metadata: EventMetadata;
  timestamp: Date;
}

export function commitId(streamId: string, version: number): string {
  return `${streamId}@${version}`;
}

export function toCommittedEvent(event: NewEvent): CommittedEvent {
  return { type: event.type, payload: event.payload, metadata: compactMetadata(event.metadata), timestamp: event.timestamp };
}

export function toStoredEvents(commit: Pick<CommitDocument, 'streamId' | 'version' | 'position' | 'events'>): StoredEvent[] {
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
