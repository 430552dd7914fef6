import { eventDefinition } from '../event-registry';
import type { CloudEvent } from './cloud-event';
import { ContractValidationError } from './contract-validation.error';
import { describeIssues, toContractIssues } from './zod-issues';

/**
 * What toCloudEvent needs from a stored event. `StoredEvent` of `@integrations/event-store` has
 * this shape; it is restated here so that external subscribers can use the contracts without the
 * event store (and its mongoose dependency).
 */
export interface EventRecord {
  streamId: string;
  version: number;
  type: string;
  payload: unknown;
  timestamp: Date;
  metadata: { eventId: string; correlationId: string; causationId?: string; actor?: string };
}

/**
 * Builds the message published for a stored event. Strict on purpose (readers are tolerant, writers
 * are not): the type must be in the registry and the payload must pass its schema, so an event
 * carrying a field the contract does not know (a secret, say) is never published.
 */
export function toCloudEvent(stored: EventRecord, source: string): CloudEvent {
  const definition = eventDefinition(stored.type);
  if (!definition) {
    throw new ContractValidationError(
      `Event type ${stored.type} is not in the contracts registry; it cannot be published.`,
    );
  }
  const data = definition.schema.safeParse(stored.payload);
  if (!data.success) {
    const issues = toContractIssues(data.error, 'data');
    throw new ContractValidationError(
      `Refusing to publish ${stored.type} ${stored.streamId}@${stored.version}: ${describeIssues(issues)}`,
      issues,
    );
  }
  const { eventId, correlationId, causationId, actor } = stored.metadata;
  return {
    specversion: '1.0',
    id: eventId,
    source,
    type: stored.type,
    subject: stored.streamId,
    time: stored.timestamp.toISOString(),
    datacontenttype: 'application/json',
    data: data.data,
    sequence: String(stored.version),
    correlationid: correlationId,
    ...(causationId ? { causationid: causationId } : {}),
    ...(actor ? { actor } : {}),
    schemaversion: definition.schemaVersion,
  };
}
