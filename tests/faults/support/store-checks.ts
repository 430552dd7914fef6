import { EventStore, type StoredEvent } from '@integrations/event-store';
import type { Connection } from 'mongoose';
import type { AcceptedCommand } from './traffic';

/**
 * Checks of an event store against the commands that were answered and the topic its relay feeds.
 * Pure, and free of any service's internals: the multi-replica fault tests use them while the
 * services are rewritten underneath.
 */
/** Every event of a service's store (the platform's stores use the default collection, `events`). */
export async function readStore(connection: Connection): Promise<StoredEvent[]> {
  const store = new EventStore(connection);
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

const key = (streamId: string, version: number) => `${streamId}@${version}`;

/** Every 2xx command's event is stored, with the type the command implies; every stream has no gap. */
export function commandsInStore(accepted: readonly AcceptedCommand[], events: readonly StoredEvent[]): string[] {
  const byKey = new Map(events.map((event) => [key(event.streamId, event.version), event]));
  const problems: string[] = [];
  const expectedType = {
    create: 'IntegrationCreated',
    update: 'IntegrationUpdated',
    delete: 'IntegrationDeleted',
  } as const;
  for (const command of accepted) {
    const stored = byKey.get(key(command.id, command.version));
    if (!stored)
      problems.push(`${command.kind} ${key(command.id, command.version)} answered 2xx but is not in the event store`);
    else if (stored.type !== expectedType[command.kind])
      problems.push(`${command.kind} ${key(command.id, command.version)} stored as ${stored.type}`);
  }
  const heads = new Map<string, number[]>();
  for (const event of events) heads.set(event.streamId, [...(heads.get(event.streamId) ?? []), event.version]);
  for (const [streamId, versions] of heads) {
    const sorted = [...versions].sort((a, b) => a - b);
    if (sorted.some((version, index) => version !== index + 1))
      problems.push(`stream ${streamId} has versions ${sorted.join(',')}`);
  }
  return problems;
}

export interface TopicEvent {
  id: string;
  subject: string;
  sequence: number;
  type: string;
}

/** Store events missing from the topic, or on it with another id/type; topic events the store lacks. */
export function storeVersusTopic(events: readonly StoredEvent[], topic: readonly TopicEvent[]): string[] {
  const onTopic = new Map(topic.map((event) => [key(event.subject, event.sequence), event]));
  const problems: string[] = [];
  for (const event of events) {
    const published = onTopic.get(key(event.streamId, event.version));
    if (!published) problems.push(`${key(event.streamId, event.version)} (${event.type}) is not on the topic`);
    else if (published.id !== event.metadata.eventId || published.type !== event.type)
      problems.push(
        `${key(event.streamId, event.version)} on the topic as ${published.type}/${published.id}, stored as ${event.type}/${event.metadata.eventId}`,
      );
  }
  const stored = new Set(events.map((event) => key(event.streamId, event.version)));
  for (const event of topic)
    if (!stored.has(key(event.subject, event.sequence)))
      problems.push(`${key(event.subject, event.sequence)} is on the topic but not in the store`);
  return problems;
}
