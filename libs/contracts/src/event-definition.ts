import type { z } from 'zod';
import type { Topic } from './topics';

/**
 * One declaration per event type: its `type` string (the identity that travels in JSON), the topic
 * it is published on, the version of its data schema, and the zod schema that both types and
 * validates the data. Schemas are strict: an unexpected field (say a `consumerSecret` that slipped
 * into a payload) is rejected instead of being published.
 */
export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly type: TType;
  readonly topic: Topic;
  /** Bumped only for a breaking change of `schema` (adding an optional field is not one). */
  readonly schemaVersion: number;
  readonly schema: TSchema;
}

export function defineEvent<const TType extends string, TSchema extends z.ZodType>(
  definition: EventDefinition<TType, TSchema>,
): EventDefinition<TType, TSchema> {
  return Object.freeze({ ...definition });
}

/** The data (payload) type declared by a definition. */
export type DataOf<TDefinition> = TDefinition extends EventDefinition<string, infer S> ? z.output<S> : never;

/** `{type, payload}` for a definition: the shape deciders emit and the event store keeps. */
export type EventOf<TDefinition> =
  TDefinition extends EventDefinition<infer T, infer S> ? { type: T; payload: z.output<S> } : never;
