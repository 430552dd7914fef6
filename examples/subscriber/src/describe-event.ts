import type { IntegrationEventType, KnownCloudEvent } from '@integrations/contracts';

export type IntegrationCloudEvent = Extract<KnownCloudEvent, { type: IntegrationEventType }>;

/** One line a person can read for each integration lifecycle event. */
export function describeIntegrationEvent(event: IntegrationCloudEvent): string {
  const id = event.subject;
  switch (event.type) {
    case 'IntegrationCreated': {
      const { name, resourceAccess, resources, setupType } = event.data;
      const access = resourceAccess === 'all' ? 'all resources' : `${resources.length} resource(s)`;
      return `integration ${id} created: "${name}", ${access}, setup ${setupType}`;
    }
    case 'IntegrationUpdated':
      return `integration ${id} updated: ${Object.keys(event.data.changes).join(', ')}`;
    case 'IntegrationActivationStarted':
      return `integration ${id} ${event.data.reauthorize ? 'reauthorization' : 'activation'} started (${event.data.mode})`;
    case 'IntegrationActivated':
      return `integration ${id} activated (${event.data.mode})`;
    case 'IntegrationReauthorized':
      return `integration ${id} reauthorized (${event.data.mode}): its previous access token is revoked`;
    case 'IntegrationReset':
      return `integration ${id} reset from its manifest: new consumer credentials, activate it again`;
    case 'IntegrationDeleted':
      return `integration ${id} deleted ("${event.data.name}")`;
    case 'IntegrationSuspended':
      return `integration ${id} suspended: its calls are refused until it is resumed`;
    case 'IntegrationResumed':
      return `integration ${id} resumed: it may call again with its credentials`;
    case 'IntegrationExpired':
      return `integration ${id} expired at ${event.data.expiresAt}: its calls are refused until it is extended`;
    default: {
      const _exhaustive: never = event;
      return `unhandled integration event ${(_exhaustive as KnownCloudEvent).type}`;
    }
  }
}
