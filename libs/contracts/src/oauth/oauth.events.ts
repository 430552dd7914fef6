import type { EventOf } from '../event-definition';
import { IntegrationUsageRecorded } from './integration-usage-recorded.event';

/** Events the oauth service publishes (topic `integrations.oauth.v1`). */
export const oauthEvents = { IntegrationUsageRecorded } as const;

export type OAuthEventType = keyof typeof oauthEvents;
export type OAuthEvent = EventOf<(typeof oauthEvents)[OAuthEventType]>;
