import type { PartnerNotificationType } from '@integrations/contracts';

/**
 * Integration events that the partner is told of, and as what: access taken away or given back
 * (reauthorization, deletion, the integration controls of suspension and expiry). Not listed: creation and activation (the partner takes part in them), and a
 * reset (a config integration: its partner is the extension that declared it).
 */
export const NOTIFIED_EVENTS: Readonly<Record<string, PartnerNotificationType>> = {
  IntegrationReauthorized: 'integration.reauthorized',
  IntegrationDeleted: 'integration.deleted',
  IntegrationSuspended: 'integration.suspended',
  IntegrationResumed: 'integration.resumed',
  IntegrationExpired: 'integration.expired',
};
