import type { CloudEvent } from '@integrations/contracts';
import type { StoredEvent } from '@integrations/event-store';

/**
 * An integration event as the projections read it, whether it came from Kafka (live) or straight
 * from the event store (replay), so both paths run the very same code.
 */
export interface ProjectedEvent {
  streamId: string;
  version: number;
  type: string;
  payload: unknown;
  timestamp: Date;
  actor: string | null;
}

export function fromStoredEvent(event: StoredEvent): ProjectedEvent {
  return {
    streamId: event.streamId,
    version: event.version,
    type: event.type,
    payload: event.payload,
    timestamp: event.timestamp,
    actor: event.metadata.actor ?? null,
  };
}

export function fromCloudEvent(event: CloudEvent): ProjectedEvent {
  return {
    streamId: event.subject,
    version: Number(event.sequence),
    type: event.type,
    payload: event.data,
    timestamp: new Date(event.time),
    actor: event.actor ?? null,
  };
}
