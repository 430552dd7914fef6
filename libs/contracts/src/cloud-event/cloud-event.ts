import { z } from 'zod';
import type { ContractEventData, ContractEventType } from '../event-registry';

/**
 * CloudEvents 1.0, structured JSON mode, as every message on our topics looks.
 *
 * Extensions (lower-case, as CloudEvents requires):
 * - `sequence`: the stream version of the event, as a decimal STRING ("1", "2", … "10"). The
 *   CloudEvents sequence extension types it as a string; compare it numerically (`sequenceOf`),
 *   never lexicographically. Consumers are idempotent by (`subject`, `sequence`).
 * - `correlationid`: the request that started the chain; `causationid`: the message that caused
 *   this one (absent for a command that came from HTTP); `actor`: admin user name, integration id
 *   or `system`.
 * - `schemaversion`: integer version of the `data` schema for this `type` (absent = 1).
 */
export interface CloudEvent<TType extends string = string, TData = unknown> {
  specversion: '1.0';
  /** Unique per event; the same event re-published keeps its id. */
  id: string;
  /** The producing service, e.g. `/integrations/registry`. */
  source: string;
  type: TType;
  /** The stream (aggregate) id; also the Kafka message key. */
  subject: string;
  /** ISO 8601 time of the command that produced the event. */
  time: string;
  datacontenttype: 'application/json';
  data: TData;
  sequence: string;
  correlationid: string;
  causationid?: string;
  actor?: string;
  schemaversion?: number;
}

/** A CloudEvent whose `type` is in the registry and whose `data` passed that type's schema. */
export type KnownCloudEvent = { [K in ContractEventType]: CloudEvent<K, ContractEventData<K>> }[ContractEventType];

/**
 * The envelope check. Loose on purpose: CloudEvents lets producers add extension attributes, and a
 * reader that rejected them would break on the first one a newer producer adds.
 */
export const cloudEventEnvelope = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  subject: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
  sequence: z.string().regex(/^[1-9][0-9]*$/, 'must be a positive decimal integer string'),
  correlationid: z.string().min(1),
  causationid: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  schemaversion: z.number().int().positive().optional(),
});

/** The stream version carried by `sequence`, as a number. */
export function sequenceOf(event: Pick<CloudEvent, 'sequence'>): number {
  return Number(event.sequence);
}
