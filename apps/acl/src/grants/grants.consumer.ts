import { integrationEvents, parseCloudEvent, sequenceOf, type IntegrationEvent } from '@integrations/contracts';
import { ProjectionGapError, type ChangeSignal } from '@integrations/event-store';
import { InvalidMessageError, type IncomingMessage, type MessageBus, type Subscription } from '@integrations/messaging';
import type { Logger } from '@integrations/service-kit';
import type { GrantsEvent, GrantsProjection } from './grants.projection';

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

/**
 * Feeds the grants projection from `integrations.integration.v1`, and moves the access change signal
 * after each write, so that every replica's access cache reads the projection again at its next call
 * (docs/adr/0006 §3). A redelivered event moves it too: the handler may be retried because the move
 * after its first apply failed.
 */
export class GrantsConsumer {
  private subscription?: Subscription;

  constructor(
    private readonly options: {
      bus: MessageBus;
      topic: string;
      groupId: string;
      projection: Pick<GrantsProjection, 'apply'>;
      signal: Pick<ChangeSignal, 'changed'>;
      logger: Logger;
    },
  ) {}

  async start(): Promise<void> {
    const { projection, signal, logger } = this.options;
    this.subscription = await this.options.bus.subscribe<GrantsEvent>({
      groupId: this.options.groupId,
      topics: [this.options.topic],
      fromBeginning: true,
      parse: parseGrantsEvent,
      handle: async (grantsEvent) => {
        const result = await projection.apply(grantsEvent);
        const { integrationId, version } = grantsEvent;
        if (result === 'gap') throw new ProjectionGapError('grants', integrationId, version);
        await signal.changed();
        logger.debug(
          { integrationId, version, type: grantsEvent.event?.type ?? 'unknown', result },
          'grants projected',
        );
      },
    });
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }
}
