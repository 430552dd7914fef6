export * from './event-store.types';
export { EventStore, type EventStoreOptions, type ReadAllOptions, type UnpublishedCommit } from './event-store';
export { cloudEventMessage, OutboxRelay, type OutboxRelayOptions, type RelayLogger } from './outbox-relay';
export {
  applyToProjection,
  ProjectionGapError,
  type ProjectionDocument,
  type ProjectionResult,
} from './apply-to-projection';
export { replay, type ReplayResult } from './replay';
export { connectMongo, type ConnectMongoOptions } from './connect-mongo';
export { ChangeSignal, CHANGE_SIGNALS_COLLECTION, type ChangeSignalDocument } from './change-signal';
export { RelayLease, RELAY_LEASES_COLLECTION, type RelayLeaseDocument, type RelayLeaseOptions } from './relay-lease';
// The stored layout, for operations tools that write it (tools/ops/refill-outbox.ts).
export type { CommitDocument, OutboxEntry } from './commit.document';
