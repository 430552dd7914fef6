import {
  ContractValidationError,
  integrationEvents,
  parseCloudEvent,
  sequenceOf,
  Topics,
  type CloudEvent,
  type KnownCloudEvent,
} from '@integrations/contracts';
import {
  createKafkaMessageBus,
  InvalidMessageError,
  type IncomingMessage,
  type MessageBus,
} from '@integrations/messaging';
import type { Logger } from '@integrations/service-kit';
import { describeIntegrationEvent, type IntegrationCloudEvent } from './describe-event';

export interface SubscriberOptions {
  brokers: string[];
  /** One group per subscribing application: every group gets every event. */
  groupId: string;
  /** Default `integrations.integration.v1`. */
  topic?: string;
  logger: Logger;
  /** Called once per new integration event (after duplicates are dropped); real handlers hook here. */
  onEvent?: (event: IntegrationCloudEvent) => Promise<void> | void;
}

export interface RunningSubscriber {
  close(): Promise<void>;
}

type Parsed = { kind: 'known'; event: KnownCloudEvent } | { kind: 'unknown'; event: CloudEvent };

const INTEGRATION_TYPES: ReadonlySet<string> = new Set(Object.keys(integrationEvents));
const isIntegrationEvent = (event: KnownCloudEvent): event is IntegrationCloudEvent =>
  INTEGRATION_TYPES.has(event.type);

/**
 * Validates a message with the contracts. An invalid one is dead-lettered (`<topic>.dlq`) with the
 * contract's reason, which names fields, never values.
 */
export function parseMessage(message: IncomingMessage): Parsed {
  if (message.value === null) throw new InvalidMessageError('Empty message value (tombstone) on an event topic.');
  try {
    return parseCloudEvent(message.value);
  } catch (error) {
    if (error instanceof ContractValidationError) throw new InvalidMessageError(error.message, error.issues);
    throw error;
  }
}

/**
 * A minimal subscriber of the integration lifecycle: validates every message, drops redeliveries
 * (delivery is at least once: the same `subject` + `sequence` may arrive twice), ignores event types
 * it does not know (producers add types without asking), and logs one line per event.
 *
 * The last sequence per integration is kept in memory, which is enough for logging. A subscriber
 * with side effects keeps it next to its own data, in the same write (see README.md).
 */
export async function startSubscriber(options: SubscriberOptions): Promise<RunningSubscriber> {
  const { logger } = options;
  const topic = options.topic ?? Topics.integration;
  const lastSequence = new Map<string, number>();
  const bus: MessageBus = createKafkaMessageBus({
    brokers: options.brokers,
    clientId: options.groupId,
    logger: (entry) => logger[entry.level]({ kafka: entry.logger }, entry.message),
  });
  await bus.connect();
  try {
    const subscription = await bus.subscribe<Parsed>({
      groupId: options.groupId,
      topics: [topic],
      fromBeginning: true,
      parse: parseMessage,
      handle: async (parsed, message) => {
        const { event } = parsed;
        const sequence = sequenceOf(event);
        if (sequence <= (lastSequence.get(event.subject) ?? 0)) {
          logger.debug({ subject: event.subject, sequence, type: event.type }, 'duplicate delivery ignored');
          return;
        }
        if (parsed.kind === 'known' && isIntegrationEvent(parsed.event)) {
          await options.onEvent?.(parsed.event);
          logger.info(
            {
              subject: event.subject,
              sequence,
              type: event.type,
              correlationId: event.correlationid,
              actor: event.actor,
            },
            describeIntegrationEvent(parsed.event),
          );
        } else {
          logger.info(
            { subject: event.subject, sequence, type: event.type, partition: message.partition },
            'event type not handled here; skipped',
          );
        }
        lastSequence.set(event.subject, sequence);
      },
    });
    logger.info({ topic, groupId: options.groupId }, 'subscribed');
    return {
      close: async () => {
        await subscription.close();
        await bus.disconnect();
      },
    };
  } catch (error) {
    await bus.disconnect();
    throw error;
  }
}
