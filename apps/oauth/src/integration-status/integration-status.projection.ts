import { applyToProjection, type ProjectionDocument, type ProjectionResult } from '@integrations/event-store';
import type mongoose from 'mongoose';

export const INTEGRATION_STATUS_COLLECTION = 'integration_status';

export type IntegrationStatus = 'inactive' | 'active' | 'reset' | 'deleted';

export interface IntegrationStatusDocument extends ProjectionDocument {
  status: IntegrationStatus;
}

/** The slice of an integration event this projection reads. */
export interface IntegrationStatusEvent {
  streamId: string;
  version: number;
  type: string;
}

/**
 * The oauth service's own read model of the registry's integrations: only their status, which
 * issuance reads (a deleted integration gets no credentials). The signed path does not read it: the
 * acl decides whether an integration may call (docs/adr/0006 §1). Idempotent by stream version
 * (applyToProjection); a deletion is a tombstone, so a redelivered creation cannot bring it back.
 */
export class IntegrationStatusProjection {
  constructor(private readonly collection: mongoose.mongo.Collection<IntegrationStatusDocument>) {}

  apply(event: IntegrationStatusEvent): Promise<ProjectionResult> {
    const status = statusAfter(event.type);
    return applyToProjection(
      this.collection as unknown as mongoose.mongo.Collection<ProjectionDocument>,
      { id: event.streamId, version: event.version },
      // Events that do not change the status (IntegrationUpdated, types added later) still advance the version.
      status ? { $set: { status } } : { $set: {} },
    );
  }

  /** Last version applied (0: none). */
  async versionOf(integrationId: string): Promise<number> {
    return (await this.collection.findOne({ _id: integrationId }, { projection: { version: 1 } }))?.version ?? 0;
  }

  /** null: no event of this integration seen yet. */
  async statusOf(integrationId: string): Promise<IntegrationStatus | null> {
    const document = await this.collection.findOne({ _id: integrationId }, { projection: { status: 1 } });
    return document?.status ?? null;
  }
}

/**
 * Magento's status column, as the registry's events move it. IntegrationActivationStarted sets
 * `inactive`: an exchange-mode (re)authorization is not active until the third party finishes
 * (Magento's TokensExchange sets status 0 first).
 */
function statusAfter(type: string): IntegrationStatus | undefined {
  switch (type) {
    case 'IntegrationCreated':
    case 'IntegrationActivationStarted':
      return 'inactive';
    case 'IntegrationActivated':
    case 'IntegrationReauthorized':
      return 'active';
    case 'IntegrationReset':
      return 'reset';
    case 'IntegrationDeleted':
      return 'deleted';
    default:
      return undefined;
  }
}
