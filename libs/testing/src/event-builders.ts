import { randomUUID } from 'node:crypto';
import type { IntegrationCreatedData, IntegrationUpdatedData } from '@integrations/contracts';

/**
 * Same shape as the event store's `NewEvent`, restated so that the harness does not
 * depend on the event store (whose own tests use the harness).
 */
export interface BuiltEvent<TType extends string = string, TPayload = unknown> {
  type: TType;
  payload: TPayload;
  metadata: { eventId: string; correlationId: string; causationId?: string; actor?: string };
  timestamp: Date;
}

/** An event as a decider emits it, with fresh ids and the current time; `overrides` replaces any of them. */
export function newEvent<TType extends string, TPayload>(
  type: TType,
  payload: TPayload,
  overrides: Partial<Omit<BuiltEvent<TType, TPayload>, 'type' | 'payload'>> = {},
): BuiltEvent<TType, TPayload> {
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
): BuiltEvent<'IntegrationCreated', IntegrationCreatedData> {
  return newEvent('IntegrationCreated', anIntegrationCreatedPayload(overrides));
}

export function anIntegrationUpdated(
  integrationId: string,
  changes: IntegrationUpdatedData['changes'],
): BuiltEvent<'IntegrationUpdated', IntegrationUpdatedData> {
  return newEvent('IntegrationUpdated', { integrationId, changes });
}
