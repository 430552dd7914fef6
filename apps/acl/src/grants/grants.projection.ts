import type { IntegrationEvent, RateLimit } from '@integrations/contracts';
import { applyToProjection, type ProjectionResult } from '@integrations/event-store';
import type { mongo } from 'mongoose';
import type { GrantsRecord, IntegrationStatus } from './integration-grants';

export const GRANTS_COLLECTION = 'grants';

/**
 * One integration's grants. A document without `status` exists only when the stream began with an
 * event type this build does not know (its version is kept so later events are not a gap).
 */
export interface GrantsDocument {
  _id: string;
  version: number;
  status?: IntegrationStatus;
  resourceAccess?: 'all' | 'custom';
  resources?: string[];
  // The controls (docs/adr/0010): null or absent when not in use.
  suspended?: boolean;
  expiresAt?: string | null;
  ipAllowList?: string[];
  rateLimit?: RateLimit | null;
  updatedAt?: Date;
}

/** An integration event on its way into the projection; `event` is null for a type we do not know. */
export interface GrantsEvent {
  integrationId: string;
  version: number;
  time: Date;
  event: IntegrationEvent | null;
}

/**
 * The fields one event sets, pure. Statuses follow the registry's aggregate: activation started
 * (the exchange is pending) and Created are inactive; Activated and Reauthorized are active;
 * Reset and Deleted take every grant away.
 */
export function grantsChanges(event: IntegrationEvent | null): Partial<Omit<GrantsDocument, '_id' | 'version'>> {
  if (!event) return {};
  switch (event.type) {
    case 'IntegrationCreated': {
      const { resourceAccess, resources, expiresAt, ipAllowList, rateLimit } = event.payload;
      return {
        status: 'inactive',
        resourceAccess,
        resources: resourceAccess === 'all' ? [] : resources,
        suspended: false,
        expiresAt: expiresAt ?? null,
        ipAllowList: ipAllowList ?? [],
        rateLimit: rateLimit ?? null,
      };
    }
    case 'IntegrationUpdated': {
      const { resourceAccess, resources, expiresAt, ipAllowList, rateLimit } = event.payload.changes;
      return {
        ...(resourceAccess !== undefined ? { resourceAccess } : {}),
        ...(resources !== undefined ? { resources } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(ipAllowList !== undefined ? { ipAllowList } : {}),
        ...(rateLimit !== undefined ? { rateLimit } : {}),
      };
    }
    case 'IntegrationSuspended':
      return { suspended: true };
    case 'IntegrationResumed':
      return { suspended: false };
    // Refusal starts at `expiresAt` (compared on every decision): the event changes nothing here.
    case 'IntegrationExpired':
      return {};
    case 'IntegrationActivationStarted':
      return { status: 'inactive' };
    case 'IntegrationActivated':
    case 'IntegrationReauthorized':
      return { status: 'active' };
    case 'IntegrationReset':
      return { status: 'reset' };
    case 'IntegrationDeleted':
      // A tombstone, not a delete: a redelivered IntegrationCreated must not bring grants back.
      return { status: 'deleted', resources: [] };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** The `grants` read model: idempotent by (integration id, stream version). */
export class GrantsProjection {
  constructor(readonly collection: mongo.Collection<GrantsDocument>) {}

  apply({ integrationId, version, time, event }: GrantsEvent): Promise<ProjectionResult> {
    const changes = grantsChanges(event);
    const update = Object.keys(changes).length > 0 ? { $set: { ...changes, updatedAt: time } } : {};
    return applyToProjection(this.collection as never, { id: integrationId, version }, update);
  }

  async find(integrationId: string): Promise<GrantsRecord | null> {
    const doc = await this.collection.findOne({ _id: integrationId });
    if (!doc || !doc.status || !doc.resourceAccess) return null;
    return {
      integrationId,
      status: doc.status,
      resourceAccess: doc.resourceAccess,
      resources: doc.resources ?? [],
      version: doc.version,
      ...(doc.suspended ? { suspended: true as const } : {}),
      ...(doc.expiresAt ? { expiresAt: doc.expiresAt } : {}),
      ...(doc.ipAllowList && doc.ipAllowList.length > 0 ? { ipAllowList: doc.ipAllowList } : {}),
      ...(doc.rateLimit ? { rateLimit: doc.rateLimit } : {}),
    };
  }
}
