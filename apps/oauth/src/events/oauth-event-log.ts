import { randomUUID } from 'node:crypto';
import { oauthEvents, type OAuthEvent } from '@integrations/contracts';
import { ConcurrencyConflictError, type EventStore, type NewEvent } from '@integrations/event-store';

export interface EventMeta {
  now: Date;
  /** Admin user name, integration id or `system`. */
  actor: string;
  correlationId: string;
}

const MAX_APPEND_ATTEMPTS = 5;

/**
 * The oauth service's events, appended to its event store (stream = integration id, so Kafka keys
 * them by integration) and published by the outbox relay. The service's state lives in its own
 * collections; these events are its outbox, not its source of truth (they must not carry secrets,
 * and the state is mostly secrets). Payloads are validated here, before they are stored: an event
 * that could never be published must not sit in the outbox.
 */
export class OauthEventLog {
  constructor(
    private readonly store: EventStore,
    private readonly nudge: () => void,
  ) {}

  /** Appends the events; returns their event ids (the CloudEvents `id`), in order. */
  async record(integrationId: string, events: OAuthEvent[], meta: EventMeta): Promise<string[]> {
    if (events.length === 0) return [];
    const stored: NewEvent[] = events.map((event) => ({
      type: event.type,
      payload: oauthEvents[event.type].schema.parse(event.payload),
      metadata: { eventId: randomUUID(), correlationId: meta.correlationId, actor: meta.actor },
      timestamp: meta.now,
    }));
    for (let attempt = 1; ; attempt++) {
      const version = await this.store.streamVersion(integrationId);
      try {
        await this.store.append(integrationId, version, stored);
        break;
      } catch (error) {
        // Another request of the same integration appended first; nothing here depends on its events.
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
    this.nudge();
    return stored.map((event) => event.metadata.eventId);
  }
}
