import { DomainError } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import { NAME_RESERVATIONS_COLLECTION, type RegistryRuntime } from '../../registry.runtime';
import { CreateIntegrationCommand } from '../create-integration/create-integration.command';
import { CreateIntegrationHandler } from '../create-integration/create-integration.handler';
import { DeleteIntegrationCommand } from '../delete-integration/delete-integration.command';
import { DeleteIntegrationHandler } from '../delete-integration/delete-integration.handler';
import type { Existing } from '../integration.decider';
import type { CommandMeta } from '../integration.repository';
import { nameKey, type NameReservation } from '../name-reservations';
import { ResetIntegrationCommand } from '../reset-integration/reset-integration.command';
import { ResetIntegrationHandler } from '../reset-integration/reset-integration.handler';
import { UpdateIntegrationCommand } from '../update-integration/update-integration.command';
import { UpdateIntegrationHandler } from '../update-integration/update-integration.handler';
import type { Manifest } from './manifest-file';
import {
  type CurrentIntegration,
  type ManifestAction,
  type ManifestState,
  parentMap,
  planManifest,
} from './manifest-plan';

/** Recorded as the actor of every command the manifest issues (history, event metadata). */
export const MANIFEST_ACTOR = 'manifest';

/** What one reconciliation did, by integration name. */
export interface ManifestReport {
  file: string;
  created: string[];
  updated: string[];
  /** Updated and reset (a subset of `updated`): their credentials were revoked. */
  reset: string[];
  deleted: string[];
  unchanged: string[];
  /** Manifest entries whose name an admin-created integration holds; skipped, never taken over. */
  conflicts: string[];
  /** Entries a command refused (logged); the registry still starts, the next start tries again. */
  failed: Array<{ name: string; code: string; message: string }>;
}

/** A concurrent writer moved an integration or took a name between our read and our write. */
const RETRYABLE = new Set(['INTEGRATION.CONFLICT', 'INTEGRATION.NAME_TAKEN']);
const MAX_ROUNDS = 3;

/**
 * Makes the config-type integrations equal the manifest through the normal command handlers (name
 * reservations, events, projections), with origin `config` and actor `manifest`. Reads the event
 * streams, never the eventually consistent grid alone, so a restart with the same file writes
 * nothing. Runs at boot before the HTTP port opens.
 */
export async function reconcileManifest(runtime: RegistryRuntime, manifest: Manifest): Promise<ManifestReport> {
  const logger = runtime.logger;
  const parents = parentMap(runtime.catalog.resources);
  const correlationId = randomUUID();
  const meta = (): CommandMeta => ({ now: new Date(), actor: MANIFEST_ACTOR, correlationId });
  const handlers = {
    create: new CreateIntegrationHandler(runtime),
    update: new UpdateIntegrationHandler(runtime),
    reset: new ResetIntegrationHandler(runtime),
    delete: new DeleteIntegrationHandler(runtime),
  };

  const report: ManifestReport = {
    file: manifest.path,
    created: [],
    updated: [],
    reset: [],
    deleted: [],
    unchanged: [],
    conflicts: [],
    failed: [],
  };
  for (let round = 1; ; round++) {
    const actions = planManifest(manifest.entries, await readState(runtime, manifest), parents);
    let retry = false;
    report.unchanged = [];
    report.conflicts = [];
    report.failed = [];
    for (const action of actions) {
      try {
        await apply(action);
      } catch (error) {
        if (!(error instanceof DomainError) || error.status >= 500)
          throw new Error(
            `Applying integrations manifest ${manifest.path}: ${describe(action)}: ${(error as Error).message}`,
            { cause: error },
          );
        if (RETRYABLE.has(error.code) && round < MAX_ROUNDS) {
          retry = true;
          continue;
        }
        report.failed.push({ name: nameOf(action), code: error.code, message: error.message });
        logger.error(
          { integration: nameOf(action), code: error.code, file: manifest.path },
          `integrations manifest: ${describe(action)} was refused: ${error.message}`,
        );
      }
    }
    if (!retry) break;
  }
  logger.info(
    {
      file: manifest.path,
      created: report.created.length,
      updated: report.updated.length,
      reset: report.reset.length,
      deleted: report.deleted.length,
      unchanged: report.unchanged.length,
      conflicts: report.conflicts.length,
      failed: report.failed.length,
    },
    'integrations manifest applied',
  );
  return report;

  async function apply(action: ManifestAction): Promise<void> {
    switch (action.kind) {
      case 'create': {
        await handlers.create.execute(
          new CreateIntegrationCommand(randomUUID(), action.entry.fields, 'config', meta()),
        );
        report.created.push(action.entry.fields.name);
        return;
      }
      case 'update': {
        let version = action.current.version;
        // Reset first: a crash between the two leaves status `reset` with the old fields, and the
        // next start only updates; the other order would leave the old credentials alive for good.
        if (action.reset) {
          version = (await handlers.reset.execute(new ResetIntegrationCommand(action.current.id, version, meta())))
            .version;
          report.reset.push(action.entry.fields.name);
        }
        await handlers.update.execute(
          new UpdateIntegrationCommand(action.current.id, action.entry.fields, version, 'config', meta()),
        );
        report.updated.push(action.entry.fields.name);
        return;
      }
      case 'delete': {
        await handlers.delete.execute(
          new DeleteIntegrationCommand(action.current.id, action.current.version, 'config', meta()),
        );
        report.deleted.push(action.current.fields.name);
        return;
      }
      case 'conflict': {
        report.conflicts.push(action.entry.fields.name);
        logger.warn(
          { integration: action.entry.fields.name, integrationId: action.current.id, file: manifest.path },
          `integrations manifest: integrations[${action.entry.index}] "${action.entry.fields.name}" is skipped: an integration created in the admin has that name and is not taken over. Rename one of them.`,
        );
        return;
      }
      case 'unchanged': {
        // After a retried round, what this start already wrote shows up here as unchanged.
        const name = action.entry.fields.name;
        if (!report.created.includes(name) && !report.updated.includes(name)) report.unchanged.push(name);
        return;
      }
      default: {
        const _exhaustive: never = action;
        throw new Error(`unknown manifest action ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
}

function nameOf(action: ManifestAction): string {
  return action.kind === 'delete' ? action.current.fields.name : action.entry.fields.name;
}

function describe(action: ManifestAction): string {
  return action.kind === 'delete'
    ? `deleting config integration "${action.current.fields.name}" (no longer in the manifest)`
    : `${action.kind} of integrations[${action.entry.index}] "${action.entry.fields.name}"`;
}

/**
 * Current integrations from their streams. Names come from the reservations (strongly consistent);
 * config-type integrations are those the grid lists as config, plus any reserved id the grid has not
 * projected yet (a create just before a crash), each confirmed from its stream.
 */
async function readState(runtime: RegistryRuntime, manifest: Manifest): Promise<ManifestState> {
  const byName = new Map<string, CurrentIntegration>();
  for (const entry of manifest.entries) {
    const key = nameKey(entry.fields.name);
    const id = await runtime.names.holderOf(entry.fields.name);
    const current = id ? await loadCurrent(runtime, id) : null;
    // A dangling reservation (holder deleted or renamed) is no match; the create takes it over.
    if (current && nameKey(current.fields.name) === key) byName.set(key, current);
  }

  const db = runtime.connection.db!;
  const gridIds = new Set(
    (await runtime.grid.collection.find({}, { projection: { _id: 1 } }).toArray()).map((row) => row._id),
  );
  const gridConfig = await runtime.grid.collection
    .find({ setupType: 'config', deleted: false }, { projection: { _id: 1 } })
    .toArray();
  const reserved = await db
    .collection<NameReservation>(NAME_RESERVATIONS_COLLECTION)
    .find({}, { projection: { integrationId: 1 } })
    .toArray();
  const candidates = new Set([
    ...gridConfig.map((row) => row._id),
    ...reserved.map((r) => r.integrationId).filter((id) => !gridIds.has(id)),
  ]);
  const configIntegrations: CurrentIntegration[] = [];
  for (const id of candidates) {
    const current = await loadCurrent(runtime, id);
    if (current?.setupType === 'config') configIntegrations.push(current);
  }
  return { byName, configIntegrations };
}

async function loadCurrent(runtime: RegistryRuntime, id: string): Promise<CurrentIntegration | null> {
  const { state, version } = await runtime.repository.load(id);
  return state.kind === 'Existing' ? toCurrent(state, version) : null;
}

function toCurrent(state: Existing, version: number): CurrentIntegration {
  return {
    id: state.id,
    version,
    setupType: state.setupType,
    status: state.status,
    hasCredentials: state.status === 'active' || state.pendingExchange !== null,
    fields: {
      name: state.name,
      email: state.email,
      callbackUrl: state.callbackUrl,
      identityLinkUrl: state.identityLinkUrl,
      resourceAccess: state.resourceAccess,
      resources: state.resources,
    },
  };
}
