import type { EventOf } from '../event-definition';
import { AccessTokenGranted } from './access-token-granted.event';
import { ConsumerCreated } from './consumer-created.event';
import { ConsumerSecretRotated } from './consumer-secret-rotated.event';
import { CredentialsIssued } from './credentials-issued.event';
import { ExchangeStarted } from './exchange-started.event';
import { IntegrationUsageRecorded } from './integration-usage-recorded.event';
import { PartnerNotificationDelivered } from './partner-notification-delivered.event';
import { PartnerNotificationFailed } from './partner-notification-failed.event';
import { TokensRevoked } from './tokens-revoked.event';

/** Events the oauth service publishes (topic `integrations.oauth.v1`). */
export const oauthEvents = {
  IntegrationUsageRecorded,
  ConsumerCreated,
  CredentialsIssued,
  ExchangeStarted,
  AccessTokenGranted,
  TokensRevoked,
  PartnerNotificationDelivered,
  PartnerNotificationFailed,
  ConsumerSecretRotated,
} as const;

export type OAuthEventType = keyof typeof oauthEvents;
export type OAuthEvent = EventOf<(typeof oauthEvents)[OAuthEventType]>;
