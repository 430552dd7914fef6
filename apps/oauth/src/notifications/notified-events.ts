import type { PartnerNotificationType } from '@integrations/contracts';

/**
 * Integration events that the partner is told of, and as what. A control that changes access adds
 * its row (`IntegrationSuspended: 'integration.suspended'`, `IntegrationResumed`, `IntegrationExpired`);
 * nothing else changes. Not listed: creation and activation (the partner takes part in them), and a
 * reset (a config integration: its partner is the extension that declared it).
 */
export const NOTIFIED_EVENTS: Readonly<Record<string, PartnerNotificationType>> = {
  IntegrationReauthorized: 'integration.reauthorized',
  IntegrationDeleted: 'integration.deleted',
};
