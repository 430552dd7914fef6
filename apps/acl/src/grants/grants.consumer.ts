import { integrationEvents, parseCloudEvent, sequenceOf, type IntegrationEvent } from '@integrations/contracts';
import { ProjectionGapError } from '@integrations/event-store';
import { InvalidMessageError, type IncomingMessage, type MessageBus, type Subscription } from '@integrations/messaging';
import type { Logger } from '@integrations/service-kit';
import type { GrantsEvent, GrantsProjection } from './grants.projection';
import type { GrantsReader } from './grants.reader';

const INTEGRATION_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(integrationEvents));

/**
 * Validates an integration-topic message with the contracts. An invalid one goes to the dead-letter
 * topic; a valid event of a type this build does not know still moves the stream version, so the
 * next known event is not taken for a gap.
 */
export function parseGrantsEvent(message: IncomingMessage): GrantsEvent {
  if (message.value === null) throw new InvalidMessageError('Empty message on the integration topic.');
  const parsed = parseCloudEvent(message.value);
  const { event } = parsed;
  const known = parsed.kind === 'known' && INTEGRATION_EVENT_TYPES.has(event.type);
  return {
    integrationId: event.subject,
    version: sequenceOf(event),
    time: new Date(event.time),
    event: known ? ({ type: event.type, payload: event.data } as IntegrationEvent) : null,
  };
}

/** Feeds the grants projection from `integrations.integration.v1` and drops stale cache entries. */
export async function subscribeGrants(options: {
  bus: MessageBus;
  topic: string;
  groupId: string;
  projection: GrantsProjection;
  reader: GrantsReader;
  logger: Logger;
}): Promise<Subscription> {
  const { projection, reader, logger } = options;
  return options.bus.subscribe<GrantsEvent>({
    groupId: options.groupId,
    topics: [options.topic],
    fromBeginning: true,
    parse: parseGrantsEvent,
    handle: async (grantsEvent) => {
      const result = await projection.apply(grantsEvent);
      const { integrationId, version } = grantsEvent;
      // Invalidate on duplicates too: a replica may have cached a read taken before the apply.
      reader.invalidate(integrationId);
      if (result === 'gap') throw new ProjectionGapError('grants', integrationId, version);
      logger.debug({ integrationId, version, type: grantsEvent.event?.type ?? 'unknown', result }, 'grants projected');
    },
  });
}
