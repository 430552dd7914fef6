import type { EventOf } from '../event-definition';
import { IntegrationActivated } from './integration-activated.event';
import { IntegrationActivationStarted } from './integration-activation-started.event';
import { IntegrationCreated } from './integration-created.event';
import { IntegrationDeleted } from './integration-deleted.event';
import { IntegrationExpired } from './integration-expired.event';
import { IntegrationReauthorized } from './integration-reauthorized.event';
import { IntegrationReset } from './integration-reset.event';
import { IntegrationResumed } from './integration-resumed.event';
import { IntegrationSuspended } from './integration-suspended.event';
import { IntegrationUpdated } from './integration-updated.event';

/** Every event of the Integration aggregate (topic `integrations.integration.v1`). */
export const integrationEvents = {
  IntegrationCreated,
  IntegrationUpdated,
  IntegrationActivationStarted,
  IntegrationActivated,
  IntegrationReauthorized,
  IntegrationReset,
  IntegrationDeleted,
  IntegrationSuspended,
  IntegrationResumed,
  IntegrationExpired,
} as const;

export type IntegrationEventType = keyof typeof integrationEvents;
/** `{type, payload}` union of the Integration aggregate's events, for deciders and projections. */
export type IntegrationEvent = EventOf<(typeof integrationEvents)[IntegrationEventType]>;
