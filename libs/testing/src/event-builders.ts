import { randomUUID } from 'node:crypto';
import type { IntegrationCreatedData, IntegrationUpdatedData } from '@integrations/contracts';
import type { NewEvent } from '@integrations/event-store';

/** A NewEvent with fresh ids and the current time; `overrides` replaces any of them. */
export function newEvent<TType extends string, TPayload>(
  type: TType,
  payload: TPayload,
  overrides: Partial<Omit<NewEvent<TType, TPayload>, 'type' | 'payload'>> = {},
): NewEvent<TType, TPayload> {
  return {
    type,
    payload,
    metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: 'admin', ...overrides.metadata },
    timestamp: overrides.timestamp ?? new Date(),
  };
}

export function anIntegrationCreatedPayload(overrides: Partial<IntegrationCreatedData> = {}): IntegrationCreatedData {
  const integrationId = overrides.integrationId ?? randomUUID();
  return {
    integrationId,
    name: `Integration ${integrationId.slice(0, 8)}`,
    email: 'partner@example.com',
    callbackUrl: null,
    identityLinkUrl: null,
    resourceAccess: 'custom',
    resources: ['Magento_Sales::sales'],
    setupType: 'manual',
    insecure: false,
    ...overrides,
  };
}

export function anIntegrationCreated(
  overrides: Partial<IntegrationCreatedData> = {},
): NewEvent<'IntegrationCreated', IntegrationCreatedData> {
  return newEvent('IntegrationCreated', anIntegrationCreatedPayload(overrides));
}

export function anIntegrationUpdated(
  integrationId: string,
  changes: IntegrationUpdatedData['changes'],
): NewEvent<'IntegrationUpdated', IntegrationUpdatedData> {
  return newEvent('IntegrationUpdated', { integrationId, changes });
}
