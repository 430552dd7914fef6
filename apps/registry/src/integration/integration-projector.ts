import {
  IntegrationUsageRecorded,
  parseCloudEvent,
  ConsumerSecretRotated,
  PartnerNotificationDelivered,
  PartnerNotificationFailed,
  type ParsedCloudEvent,
} from '@integrations/contracts';
import { ProjectionGapError } from '@integrations/event-store';
import type { MessageBus, Subscription } from '@integrations/messaging';
import type { Logger } from '@integrations/service-kit';
import type { IntegrationGridProjection } from './integration-grid.projection';
import { secretRotationEntry, type IntegrationHistoryProjection } from './integration-history.projection';
import { fromCloudEvent, type ProjectedEvent } from './projected-event';

export interface ProjectorTopics {
  integration: string;
  oauth: string;
}

/**
 * Feeds the grid and history projections from Kafka: integration events from our own outbox relay,
 * usage reports and partner notification attempts from the oauth service. At-least-once delivery is absorbed by the projections'
 * idempotence; a gap (an event ahead of its predecessor) is retried, never skipped.
 */
export class IntegrationProjector {
  private subscription?: Subscription;

  constructor(
    private readonly bus: MessageBus,
    private readonly grid: IntegrationGridProjection,
    private readonly history: IntegrationHistoryProjection,
    private readonly topics: ProjectorTopics,
    private readonly groupId: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.bus.subscribe<ParsedCloudEvent>({
      groupId: this.groupId,
      topics: [this.topics.integration, this.topics.oauth],
      fromBeginning: true,
      parse: (message) => parseCloudEvent(message.value ?? ''),
      handle: async (parsed, message) => {
        if (message.topic === this.topics.integration) await this.project(fromCloudEvent(parsed.event));
        else await this.projectOauthEvent(parsed);
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }

  /** Both projections, history first: its entries are independent, the grid is the one that orders. */
  async project(event: ProjectedEvent): Promise<void> {
    await this.history.apply(event);
    const result = await this.grid.apply(event);
    if (result === 'gap') throw new ProjectionGapError('integration_grid', event.streamId, event.version);
  }

  private async projectOauthEvent(parsed: ParsedCloudEvent): Promise<void> {
    // Other oauth events (and types added later) are none of the projections' business.
    if (parsed.kind !== 'known') return;
    const { event } = parsed;
    if (event.type === IntegrationUsageRecorded.type) return this.recordUsage(event.data);
    if (event.type === ConsumerSecretRotated.type) {
      await this.history.insert(
        secretRotationEntry({
          eventId: event.id,
          at: new Date(event.time),
          actor: event.actor ?? null,
          data: event.data,
        }),
      );
      return;
    }
    if (event.type === PartnerNotificationDelivered.type || event.type === PartnerNotificationFailed.type)
      await this.history.applyNotification({
        eventId: event.id,
        type: event.type,
        at: new Date(event.time),
        data: event.data,
      });
  }

  private async recordUsage({
    integrationId,
    lastUsedAt,
    uses,
  }: {
    integrationId: string;
    lastUsedAt: string;
    uses: number;
  }): Promise<void> {
    const recorded = await this.grid.recordUsage(integrationId, new Date(lastUsedAt), uses);
    if (!recorded)
      this.logger.debug(
        { integrationId },
        'usage for an integration not in the grid yet; kept until its row is projected',
      );
  }
}
