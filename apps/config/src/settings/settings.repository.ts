import { CONFIG_STREAM_ID } from '@integrations/config-client';
import { ConfigChanged } from '@integrations/contracts';
import { ConcurrencyConflictError, type EventStore, type StoredEvent } from '@integrations/event-store';
import { randomUUID } from 'node:crypto';
import { settingsConflict } from '../config.errors';
import { evolve, initialSettingsState, type SettingsEvent, type SettingsState } from './settings.decider';

export interface LoadedSettings {
  state: SettingsState;
  /** Version of the `config:default` stream (0: nothing was ever changed). */
  version: number;
}

export interface AppendMetadata {
  actor: string;
  correlationId: string;
  now: Date;
}

/**
 * Loads the settings by folding their stream, and appends to it. Settings change rarely (an admin
 * action), so the stream stays short and a fold per request is cheaper than keeping a projection
 * consistent; it also makes every instance of the service agree without coordination.
 */
export class SettingsRepository {
  constructor(private readonly events: EventStore) {}

  async load(): Promise<LoadedSettings> {
    const stored = await this.events.readStream(CONFIG_STREAM_ID);
    return {
      state: stored.map(toSettingsEvent).reduce(evolve, initialSettingsState()),
      version: stored.at(-1)?.version ?? 0,
    };
  }

  /** Appends after `expectedVersion`; returns the new version. Throws 409 CONFIG.CONFLICT on a race. */
  async append(expectedVersion: number, events: SettingsEvent[], metadata: AppendMetadata): Promise<number> {
    try {
      const stored = await this.events.append(
        CONFIG_STREAM_ID,
        expectedVersion,
        events.map((event) => ({
          ...event,
          timestamp: metadata.now,
          metadata: { eventId: randomUUID(), correlationId: metadata.correlationId, actor: metadata.actor },
        })),
      );
      return stored.at(-1)!.version;
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) {
        throw settingsConflict();
      }
      throw error;
    }
  }
}

/** Stored events were checked against the contract when written; re-checking keeps a bad document out of the fold. */
function toSettingsEvent(stored: StoredEvent): SettingsEvent {
  if (stored.type !== ConfigChanged.type) {
    throw new Error(`Unexpected event ${stored.type} at ${stored.streamId}@${stored.version}`);
  }
  return { type: ConfigChanged.type, payload: ConfigChanged.schema.parse(stored.payload) };
}
