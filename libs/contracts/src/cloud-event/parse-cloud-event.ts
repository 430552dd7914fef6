import { eventDefinition } from '../event-registry';
import { cloudEventEnvelope, type CloudEvent, type KnownCloudEvent } from './cloud-event';
import { ContractValidationError } from './contract-validation.error';
import { describeIssues, toContractIssues } from './zod-issues';

export type ParsedCloudEvent =
  /** `type` is in the registry and `data` passed its schema: narrow on `event.type`. */
  | { kind: 'known'; event: KnownCloudEvent }
  /**
   * A valid envelope with a `type` this build does not know. Not an error: new event types are
   * added without coordination, so consumers ignore (and acknowledge) what they do not handle.
   */
  | { kind: 'unknown'; event: CloudEvent };

/**
 * Validates a message (a JSON string or an already parsed object): the envelope, then `data`
 * against the schema of its `type`. Throws ContractValidationError (code `CONTRACTS.INVALID_EVENT`)
 * for invalid JSON, an invalid envelope, invalid data of a known type, or a `schemaversion` this
 * build does not know for a known type (a breaking change the consumer must be upgraded for: it
 * goes to the dead-letter topic rather than being silently skipped).
 */
export function parseCloudEvent(json: unknown): ParsedCloudEvent {
  const value = typeof json === 'string' ? parseJson(json) : json;
  const envelope = cloudEventEnvelope.safeParse(value);
  if (!envelope.success) {
    const issues = toContractIssues(envelope.error);
    throw new ContractValidationError(`Invalid CloudEvent envelope: ${describeIssues(issues)}`, issues);
  }
  const event = envelope.data as CloudEvent;
  const definition = eventDefinition(event.type);
  if (!definition) return { kind: 'unknown', event };

  const schemaVersion = event.schemaversion ?? 1;
  if (schemaVersion !== definition.schemaVersion) {
    throw new ContractValidationError(
      `${event.type} ${event.id} has schemaversion ${schemaVersion}; this consumer understands ${definition.schemaVersion}.`,
    );
  }
  const data = definition.schema.safeParse(event.data);
  if (!data.success) {
    const issues = toContractIssues(data.error, 'data');
    throw new ContractValidationError(`Invalid ${event.type} ${event.id}: ${describeIssues(issues)}`, issues);
  }
  return { kind: 'known', event: { ...event, data: data.data } as KnownCloudEvent };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the input, which may hold anything: keep it out.
    throw new ContractValidationError(`Message is not valid JSON (${text.length} characters).`);
  }
}
