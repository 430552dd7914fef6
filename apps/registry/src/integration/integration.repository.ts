import { type IntegrationAccess, type IntegrationEvent, narrowsAccess } from '@integrations/contracts';
import { ConcurrencyConflictError, type EventStore, type StoredEvent } from '@integrations/event-store';
import type { Logger } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import type { AclAccessClient } from './acl-access.client';
import { accessOf, sameAccess } from './integration-access';
import { fold, type IntegrationEventRecord, type IntegrationState } from './integration.decider';
import { type HolderState, nameKey, type NameReservations } from './name-reservations';

/** The collection of the registry's event store (and its outbox). */
export const EVENTS_COLLECTION = 'events';

export interface Loaded {
  state: IntegrationState;
  /** Stream version the state was folded from (0 = no stream). */
  version: number;
  /** The messages that caused events of this stream: a redelivered one is recognised by its id. */
  causationIds: ReadonlySet<string>;
}

export interface Handled {
  state: IntegrationState;
  version: number;
  /** What the command appended; empty when it changed nothing. */
  events: StoredEvent[];
}

export interface CommandMeta {
  now: Date;
  actor: string;
  correlationId: string;
  /** The message that caused the command (e.g. the oauth event that completes an activation). */
  causationId?: string;
}

/**
 * The one way a command changes an integration (docs/adr/0006 §2): load, check the expected
 * version, decide, reserve a new name, hold at the acl if access narrows, append, free an old name,
 * publish the access snapshot. Domain errors propagate as thrown; integration.errors.ts maps them.
 */
export class IntegrationRepository {
  constructor(
    private readonly store: EventStore,
    private readonly names: NameReservations,
    private readonly acl: AclAccessClient,
    private readonly logger: Logger,
    /** Called after a successful append (the relay's nudge, so publishing starts at once). */
    private readonly onAppended: () => void = () => undefined,
  ) {}

  load(id: string): Promise<Loaded> {
    return loadIntegration(this.store, id);
  }

  /**
   * `expectedVersion`: the version the caller last saw (a conflict if the integration moved since);
   * undefined: whatever is loaded. A stream that moves between load and append is a conflict too.
   */
  async handle(
    id: string,
    expectedVersion: number | undefined,
    decide: (loaded: Loaded) => IntegrationEvent[],
    meta: CommandMeta,
  ): Promise<Handled> {
    const loaded = await this.load(id);
    const { state, version } = loaded;
    // Only a live integration can be stale; a missing one is the decider's NOT_FOUND.
    if (expectedVersion !== undefined && state.kind === 'Existing' && expectedVersion !== version)
      throw new ConcurrencyConflictError(id, expectedVersion);
    const events = decide(loaded);
    if (events.length === 0) return { state, version, events: [] };

    const next = fold(
      events.map((event) => ({ ...event, timestamp: meta.now }) as IntegrationEventRecord),
      state,
    );
    const nextVersion = version + events.length;
    const before = accessOf(state, version);
    const after = accessOf(next, nextVersion)!;
    const names = nameChanges(state, next);

    if (names.takes) await this.names.reserve(names.takes, id, meta.now);
    const holdId = narrowsAccess(before, after) ? randomUUID() : undefined;
    if (holdId) {
      try {
        await this.acl.placeHold(after, holdId, meta.correlationId);
      } catch (error) {
        // Nothing was appended: the new name is free again and the command fails as a whole.
        if (names.takes) await this.releaseName(names.takes, id);
        throw error;
      }
    }

    let stored: StoredEvent[];
    try {
      stored = await this.append(id, version, events, meta);
    } catch (error) {
      // Only a conflict proves nothing was written. After any other failure the append may have
      // landed: the name stays reserved (taken over later) and the hold stays in force until the
      // acl's sweeper reads the authoritative access (GET /integrations/:id/access): fail closed.
      if (error instanceof ConcurrencyConflictError) {
        if (names.takes) await this.releaseName(names.takes, id);
        if (holdId)
          await this.acl
            .releaseHold(id, holdId, meta.correlationId)
            .catch((err) => this.logger.warn({ err, integrationId: id }, 'hold not released; the acl sweeps it'));
      }
      throw error;
    }

    if (names.frees)
      await this.names.releaseAfterCommit(names.frees, id, (err) =>
        this.logger.warn({ err, integrationId: id }, 'old name not released; the next claimant takes it over'),
      );
    if (holdId || !sameAccess(before, after)) await this.publishAccess(after, holdId, meta.correlationId);
    return { state: next, version: nextVersion, events: stored };
  }

  /**
   * The access snapshot, after the commit. A failure does not fail the command: a hold keeps a
   * narrowing in force, and otherwise the acl keeps the previous (narrower) state until Kafka
   * delivers the events or its sweeper asks us.
   */
  async publishAccess(access: IntegrationAccess, holdId: string | undefined, correlationId: string): Promise<void> {
    await this.acl
      .publishSnapshot(access, holdId, correlationId)
      .catch((err) =>
        this.logger.warn(
          { err, integrationId: access.integrationId, version: access.version },
          'access snapshot not published to the acl; it follows from Kafka or its sweeper',
        ),
      );
  }

  /** A name reserved by a command that then stored nothing; one left dangling is taken over later. */
  private async releaseName(name: string, id: string): Promise<void> {
    await this.names
      .release(name, id)
      .catch((err) =>
        this.logger.warn({ err, integrationId: id }, 'name not released; the next claimant takes it over'),
      );
  }

  /** Appends after `expectedVersion` as is (tests and tools; commands go through `handle`). */
  async append(
    id: string,
    expectedVersion: number,
    events: IntegrationEvent[],
    meta: CommandMeta,
  ): Promise<StoredEvent[]> {
    const stored = await this.store.append(
      id,
      expectedVersion,
      events.map((event) => ({
        type: event.type,
        payload: event.payload,
        timestamp: meta.now,
        metadata: {
          eventId: randomUUID(),
          correlationId: meta.correlationId,
          actor: meta.actor,
          ...(meta.causationId ? { causationId: meta.causationId } : {}),
        },
      })),
    );
    this.onAppended();
    return stored;
  }
}

/** Folds an integration's stream. */
export async function loadIntegration(store: EventStore, id: string): Promise<Loaded> {
  const events = await store.readStream(id);
  const causationIds = new Set<string>();
  for (const event of events) if (event.metadata.causationId) causationIds.add(event.metadata.causationId);
  return { state: fold(events.map(toRecord)), version: events.at(-1)?.version ?? 0, causationIds };
}

/** For NameReservations: whether a reservation's holder really uses the name. */
export function holderState(state: IntegrationState): HolderState {
  switch (state.kind) {
    case 'Empty':
      return { kind: 'none' };
    case 'Deleted':
      return { kind: 'deleted' };
    case 'Existing':
      return { kind: 'live', nameKey: nameKey(state.name) };
    default: {
      const _exhaustive: never = state;
      throw new Error(`unknown state ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/**
 * The name a command takes (create, rename) before it appends, and the one it frees after: a rename
 * holds both until its event is stored. A change of letter case keeps the same reservation.
 */
function nameChanges(state: IntegrationState, next: IntegrationState): { takes?: string; frees?: string } {
  const was = state.kind === 'Existing' ? state.name : undefined;
  const is = next.kind === 'Existing' ? next.name : undefined;
  if (was !== undefined && is !== undefined && nameKey(was) === nameKey(is)) return {};
  return { ...(is !== undefined ? { takes: is } : {}), ...(was !== undefined ? { frees: was } : {}) };
}

/** Stored events of this service's stream are the integration events it appended itself. */
export function toRecord(event: StoredEvent): IntegrationEventRecord {
  return { type: event.type, payload: event.payload, timestamp: event.timestamp } as IntegrationEventRecord;
}
