export * from './topics';
export * from './call-graph';
export * from './event-definition';
export * from './event-registry';

export * from './integration/integration-fields';
export * from './integration/integration-created.event';
export * from './integration/integration-updated.event';
export * from './integration/integration-activation-started.event';
export * from './integration/integration-activated.event';
export * from './integration/integration-reauthorized.event';
export * from './integration/integration-reset.event';
export * from './integration/integration-deleted.event';
export * from './integration/integration-suspended.event';
export * from './integration/integration-resumed.event';
export * from './integration/integration-expired.event';
export * from './integration/integration.events';

export * from './oauth/integration-usage-recorded.event';
export * from './oauth/oauth.events';
export * from './oauth/oauth-fields';
export * from './oauth/consumer-created.event';
export * from './oauth/credentials-issued.event';
export * from './oauth/exchange-started.event';
export * from './oauth/access-token-granted.event';
export * from './oauth/tokens-revoked.event';
export * from './oauth/partner-notification-delivered.event';
export * from './oauth/partner-notification-failed.event';
export * from './partner/partner-notification.contract';
export * from './admin/integration-usage.contract';
export * from './oauth/consumer-secret-rotated.event';

export * from './config/config-changed.event';
export * from './config/config.events';

export * from './cloud-event/cloud-event';
export * from './cloud-event/contract-validation.error';
export * from './cloud-event/zod-issues';
export * from './cloud-event/to-cloud-event';
export * from './cloud-event/parse-cloud-event';
export * from './config/settings.catalog';
export * from './internal';
export * from './acl';
