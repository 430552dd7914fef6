import { DomainError, type Logger, type ReadinessCheck } from '@integrations/service-kit';
import type { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { AclCatalog } from '../acl-catalog';
import { CreateIntegrationCommand } from '../create-integration/create-integration.command';
import { DeleteIntegrationCommand } from '../delete-integration/delete-integration.command';
import type { IntegrationGridProjection } from '../integration-grid.projection';
import { toDomainError } from '../integration.errors';
import type { CommandMeta, IntegrationRepository } from '../integration.repository';
import { nameKey, type NameReservations } from '../name-reservations';
import { ResetIntegrationCommand } from '../reset-integration/reset-integration.command';
import { ResumeIntegrationCommand } from '../resume-integration/resume-integration.command';
import { SuspendIntegrationCommand } from '../suspend-integration/suspend-integration.command';
import { UpdateIntegrationCommand } from '../update-integration/update-integration.command';
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

/** Another writer (a second replica applying the same file, an admin) moved an integration or took a name. */
const RETRYABLE = new Set(['INTEGRATION.CONFLICT', 'INTEGRATION.NAME_TAKEN']);
const MAX_CONFLICT_ROUNDS = 8;
/** A Reset or Delete takes access away: it waits for the acl, however long (docs/adr/0006 §2). */
const ACCESS_UNAVAILABLE = 'ACCESS.UNAVAILABLE';
const ACL_BACKOFF = { initialMs: 500, maxMs: 10_000 };

export interface ManifestReconcilerOptions {
  /** A manifest will be applied at this start: not ready until it is. */
  expectManifest: boolean;
  /** For the logs while waiting for the acl. */
  aclUrl: string;
}

/**
 * Makes the config-type integrations equal the manifest through the command bus (name
 * reservations, access holds, events, projections), with origin `config` and actor `manifest`. Reads
 * the event streams, never the eventually consistent grid alone, so a restart with the same file
 * writes nothing. Several replicas may apply the same file at once: a write that lost a race is
 * re-planned from what the winner stored, so they converge without duplicates.
 */
export class ManifestReconciler {
  private applied: boolean;
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly repository: IntegrationRepository,
    private readonly names: NameReservations,
    private readonly grid: IntegrationGridProjection,
    private readonly catalog: AclCatalog,
    private readonly logger: Logger,
    private readonly options: ManifestReconcilerOptions,
  ) {
    this.applied = !options.expectManifest;
  }

  /** Not ready while the manifest is being applied (the admin must not see it half applied). */
  readiness(): ReadinessCheck {
    return { name: 'manifest', check: () => this.applied };
  }

  /** Ends a wait for the acl (shutdown): `reconcile` then rejects. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  async reconcile(manifest: Manifest): Promise<ManifestReport> {
    const parents = parentMap(this.catalog.resources);
    const correlationId = randomUUID();
    const meta = (): CommandMeta => ({ now: new Date(), actor: MANIFEST_ACTOR, correlationId });
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
    let conflictRounds = 0;
    let aclWaits = 0;
    for (;;) {
      const actions = planManifest(manifest.entries, await this.readState(manifest), parents);
      const mayRetryConflicts = conflictRounds < MAX_CONFLICT_ROUNDS - 1;
      let lostRace = false;
      let waitingFor: ManifestAction | undefined;
      report.unchanged = [];
      report.conflicts = [];
      report.failed = [];
      for (const action of actions) {
        try {
          await this.apply(action, report, meta, manifest.path);
        } catch (thrown) {
          const error = toDomainError(thrown);
          if (error instanceof DomainError && error.code === ACCESS_UNAVAILABLE) {
            waitingFor ??= action;
            continue;
          }
          if (!(error instanceof DomainError) || error.status >= 500)
            throw new Error(
              `Applying integrations manifest ${manifest.path}: ${describe(action)}: ${(error as Error).message}`,
              { cause: thrown },
            );
          if (RETRYABLE.has(error.code) && mayRetryConflicts) {
            lostRace = true;
            continue;
          }
          report.failed.push({ name: nameOf(action), code: error.code, message: error.message });
          this.logger.error(
            { integration: nameOf(action), code: error.code, file: manifest.path },
            `integrations manifest: ${describe(action)} was refused: ${error.message}`,
          );
        }
      }
      if (waitingFor) {
        const delay = Math.min(ACL_BACKOFF.initialMs * 2 ** aclWaits++, ACL_BACKOFF.maxMs);
        this.logger.warn(
          { integration: nameOf(waitingFor), file: manifest.path, aclUrl: this.options.aclUrl, attempt: aclWaits },
          `integrations manifest: waiting for the acl service at ${this.options.aclUrl} (ACL_URL) to confirm ` +
            `${describe(waitingFor)}, which takes access away; not ready until it is applied. Next attempt in ${delay} ms.`,
        );
        await this.pause(delay);
        continue;
      }
      if (!lostRace) break;
      // Another replica is writing the same integrations: let it finish, then plan from what it stored.
      conflictRounds += 1;
      await this.pause(20 * conflictRounds + Math.floor(Math.random() * 30));
    }
    this.applied = true;
    this.logger.info(
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
  }

  private async apply(
    action: ManifestAction,
    report: ManifestReport,
    meta: () => CommandMeta,
    file: string,
  ): Promise<void> {
    switch (action.kind) {
      case 'create': {
        const { fields, suspended } = action.entry;
        const id = randomUUID();
        const created = await this.commandBus.execute(new CreateIntegrationCommand(id, fields, 'config', meta()));
        // A crash in between leaves it created and not suspended: the next start plans the suspension.
        if (suspended)
          await this.commandBus.execute(new SuspendIntegrationCommand(id, created.version, 'config', meta()));
        report.created.push(fields.name);
        return;
      }
      case 'update': {
        const { id } = action.current;
        const { fields, suspended } = action.entry;
        let version = action.current.version;
        // A suspension first and a resumption last: access is never wider in between than at either end.
        if (suspended && !action.current.suspended)
          version = (await this.commandBus.execute(new SuspendIntegrationCommand(id, version, 'config', meta())))
            .version;
        // Reset first: a crash between the two leaves status `reset` with the old fields, and the
        // next start only updates; the other order would leave the old credentials alive for good.
        if (action.reset) {
          version = (await this.commandBus.execute(new ResetIntegrationCommand(id, version, meta()))).version;
          report.reset.push(fields.name);
        }
        version = (await this.commandBus.execute(new UpdateIntegrationCommand(id, fields, version, 'config', meta())))
          .version;
        if (!suspended && action.current.suspended)
          await this.commandBus.execute(new ResumeIntegrationCommand(id, version, 'config', meta()));
        report.updated.push(fields.name);
        return;
      }
      case 'delete': {
        const { id, version } = action.current;
        await this.commandBus.execute(new DeleteIntegrationCommand(id, version, 'config', meta()));
        report.deleted.push(action.current.fields.name);
        return;
      }
      case 'conflict': {
        report.conflicts.push(action.entry.fields.name);
        this.logger.warn(
          { integration: action.entry.fields.name, integrationId: action.current.id, file },
          `integrations manifest: integrations[${action.entry.index}] "${action.entry.fields.name}" is skipped: an integration created in the admin has that name and is not taken over. Rename one of them.`,
        );
        return;
      }
      case 'unchanged': {
        // After a re-planned round, what this start already wrote shows up here as unchanged.
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

  /**
   * Current integrations from their streams. Names come from the reservations (strongly consistent);
   * config-type integrations are those the grid lists as config, plus any reserved id the grid has not
   * projected yet (a create just before a crash, or by another replica), each confirmed from its stream.
   */
  private async readState(manifest: Manifest): Promise<ManifestState> {
    const byName = new Map<string, CurrentIntegration>();
    for (const entry of manifest.entries) {
      const key = nameKey(entry.fields.name);
      const id = await this.names.holderOf(entry.fields.name);
      const current = id ? await this.loadCurrent(id) : null;
      // A dangling reservation (holder deleted or renamed) is no match; the create takes it over.
      if (current && nameKey(current.fields.name) === key) byName.set(key, current);
    }

    const gridIds = new Set(
      (await this.grid.collection.find({}, { projection: { _id: 1 } }).toArray()).map((row) => row._id),
    );
    const gridConfig = await this.grid.collection
      .find({ setupType: 'config', deleted: false }, { projection: { _id: 1 } })
      .toArray();
    const candidates = new Set([
      ...gridConfig.map((row) => row._id),
      ...(await this.names.reservingIds()).filter((id) => !gridIds.has(id)),
    ]);
    const configIntegrations: CurrentIntegration[] = [];
    for (const id of candidates) {
      const current = await this.loadCurrent(id);
      if (current?.setupType === 'config') configIntegrations.push(current);
    }
    return { byName, configIntegrations };
  }

  private async loadCurrent(id: string): Promise<CurrentIntegration | null> {
    const { state, version } = await this.repository.load(id);
    if (state.kind !== 'Existing') return null;
    return {
      id: state.id,
      version,
      setupType: state.setupType,
      status: state.status,
      hasCredentials: state.status === 'active' || state.pendingExchange !== null,
      suspended: state.suspended,
      fields: {
        name: state.name,
        email: state.email,
        callbackUrl: state.callbackUrl,
        identityLinkUrl: state.identityLinkUrl,
        resourceAccess: state.resourceAccess,
        resources: state.resources,
        expiresAt: state.expiresAt,
        ipAllowList: state.ipAllowList,
        rateLimit: state.rateLimit,
      },
    };
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(shuttingDown());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        reject(shuttingDown());
      };
    });
  }
}

const shuttingDown = () => new Error('the registry is shutting down; the integrations manifest was not fully applied');

function nameOf(action: ManifestAction): string {
  return action.kind === 'delete' ? action.current.fields.name : action.entry.fields.name;
}

function describe(action: ManifestAction): string {
  return action.kind === 'delete'
    ? `deleting config integration "${action.current.fields.name}" (no longer in the manifest)`
    : `${action.kind} of integrations[${action.entry.index}] "${action.entry.fields.name}"`;
}
