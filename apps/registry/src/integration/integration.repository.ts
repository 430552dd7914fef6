import type { IntegrationEvent } from '@integrations/contracts';
import type { EventStore, StoredEvent } from '@integrations/event-store';
import { randomUUID } from 'node:crypto';
import { fold, type IntegrationEventRecord, type IntegrationState } from './integration.decider';
import type { HolderState } from './name-reservations';
import { nameKey } from './name-reservations';

export interface Loaded {
  state: IntegrationState;
  /** Stream version the state was folded from (0 = no stream). */
  version: number;
}

export interface CommandMeta {
  now: Date;
  actor: string;
  correlationId: string;
  /** The message that caused the command (e.g. the oauth event that completes an activation). */
  causationId?: string;
}

/** Loads an integration by folding its stream, appends what the decider decided. */
export class IntegrationRepository {
  constructor(
    private readonly store: EventStore,
    /** Called after a successful append (the relay's nudge, so publishing starts at once). */
    private readonly onAppended: () => void = () => undefined,
  ) {}

  async load(id: string): Promise<Loaded> {
    const events = await this.store.readStream(id);
    return { state: fold(events.map(toRecord)), version: events.at(-1)?.version ?? 0 };
  }

  /** Appends after `expectedVersion`; throws ConcurrencyConflictError if the stream moved. */
  async append(
    id: string,
    expectedVersion: number,
    events: IntegrationEvent[],
    meta: CommandMeta,
  ): Promise<StoredEvent[]> {
    const stored = await this.store.append(
      id,
      expectedVersion,
      events.map((event) => ({
        type: event.type,
        payload: event.payload,
        timestamp: meta.now,
        metadata: {
          eventId: randomUUID(),
          correlationId: meta.correlationId,
          actor: meta.actor,
          ...(meta.causationId ? { causationId: meta.causationId } : {}),
        },
      })),
    );
    this.onAppended();
    return stored;
  }

  /** For NameReservations: whether a reservation's holder really uses the name. */
  async holderState(id: string): Promise<HolderState> {
    const { state } = await this.load(id);
    switch (state.kind) {
      case 'Empty':
        return { kind: 'none' };
      case 'Deleted':
        return { kind: 'deleted' };
      case 'Existing':
        return { kind: 'live', nameKey: nameKey(state.name) };
      default: {
        const _exhaustive: never = state;
        throw new Error(`unknown state ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
}

/** Stored events of this service's stream are the integration events it appended itself. */
export function toRecord(event: StoredEvent): IntegrationEventRecord {
  return { type: event.type, payload: event.payload, timestamp: event.timestamp } as IntegrationEventRecord;
}

/** The state after `events` were appended on top of `state`. */
export function after(state: IntegrationState, stored: StoredEvent[]): IntegrationState {
  return fold(stored.map(toRecord), state);
}
