import type { EventStore, ReadAllOptions } from './event-store';
import type { StoredEvent } from './event-store.types';

export interface ReplayResult {
  events: number;
  /** Position of the last event handed over; undefined when there was none. */
  lastPosition?: number;
}

/**
 * Feeds every stored event, in position order, to `handler`, one at a time (awaited), e.g. to
 * rebuild a projection into a fresh collection that then replaces the live one.
 */
export async function replay(
  store: Pick<EventStore, 'readAll'>,
  handler: (event: StoredEvent) => Promise<void> | void,
  options: Pick<ReadAllOptions, 'fromPosition' | 'batchSize'> = {},
): Promise<ReplayResult> {
  let events = 0;
  let lastPosition: number | undefined;
  for await (const event of store.readAll(options)) {
    await handler(event);
    events += 1;
    lastPosition = event.position;
  }
  return { events, lastPosition };
}
