/** Who and what caused an event; travels into the CloudEvents extensions. */
export interface EventMetadata {
  /** Unique id of this event (CloudEvents `id`). */
  eventId: string;
  correlationId: string;
  causationId?: string;
  /** The admin username, integration id or `system` that caused the event. */
  actor?: string;
}

/** An event as a decider produces it, before it is stored. */
export interface NewEvent<TType extends string = string, TPayload = unknown> {
  type: TType;
  payload: TPayload;
  metadata: EventMetadata;
  /** Time of the command that produced it (commands carry `now`). */
  timestamp: Date;
}

/** A stored event: `{aggregateId (streamId), version, timestamp, type, payload, metadata}` + global position. */
export interface StoredEvent<TType extends string = string, TPayload = unknown> extends NewEvent<TType, TPayload> {
  streamId: string;
  /** 1-based version of the stream after this event. */
  version: number;
  /** Global, monotonically increasing position of the commit that stored this event. */
  position: number;
}

/** Thrown when another writer appended to the stream first. Maps to HTTP 409. */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  readonly code = 'EVENT_STORE.CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`Stream ${streamId} changed since version ${expectedVersion}; reload and try again.`);
  }
}
