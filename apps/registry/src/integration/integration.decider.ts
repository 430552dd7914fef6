import type { ActivationMode, IntegrationEvent, RateLimit, SetupType } from '@integrations/contracts';
import { isInsecure, type IntegrationFields } from './integration-fields';

/**
 * The Integration aggregate as a decider: `decide(command, state) -> events`, `evolve(state, event)`.
 * Pure: time, ids and the actor come in on the command; validation of field formats happened at the
 * edge (integration-fields.ts); here live the rules that depend on the aggregate's state.
 */

export type IntegrationStatus = 'inactive' | 'active' | 'reset';
/** Who issues a command: an admin (through the gateway) or the configuration that owns config-type integrations. */
export type CommandOrigin = 'admin' | 'config';

export interface Existing extends IntegrationFields {
  kind: 'Existing';
  id: string;
  setupType: SetupType;
  status: IntegrationStatus;
  insecure: boolean;
  /** An exchange-mode activation waiting for the third party to call /oauth/token/access. */
  pendingExchange: { reauthorize: boolean } | null;
  /** Every call refused until resumed; `status` is kept meanwhile (docs/adr/0010). */
  suspended: boolean;
  /** The `expiresAt` an IntegrationExpired was published for: once per expiry date. */
  expiryAnnounced: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type IntegrationState =
  { kind: 'Empty' } | Existing | { kind: 'Deleted'; id: string; name: string; deletedAt: Date };

export const initialState: IntegrationState = { kind: 'Empty' };

interface CommandBase {
  integrationId: string;
  now: Date;
  /** Admin username, integration id or `system`; recorded in event metadata. */
  actor: string;
}
export type CreateIntegration = CommandBase & {
  type: 'CreateIntegration';
  fields: IntegrationFields;
  setupType: SetupType;
};
export type UpdateIntegration = CommandBase & {
  type: 'UpdateIntegration';
  fields: IntegrationFields;
  origin: CommandOrigin;
};
export type DeleteIntegration = CommandBase & { type: 'DeleteIntegration'; origin: CommandOrigin };
/**
 * Activate (reauthorize = false) or Reauthorize; the mode follows from the URLs, as in Magento.
 * `mode`, when given, is the mode the caller already issued credentials for (the gateway asks the
 * oauth service first): if the URLs changed in between, the activation is refused rather than
 * recorded in a mode that does not match the credentials.
 */
export type StartActivation = CommandBase & { type: 'StartActivation'; reauthorize: boolean; mode?: ActivationMode };
/** The third party exchanged its request token for an access token (exchange mode only). */
export type CompleteActivation = CommandBase & { type: 'CompleteActivation' };
/** Configuration recreated a config-type integration (Magento's "Reset"): credentials must be issued again. */
export type ResetIntegration = CommandBase & { type: 'ResetIntegration' };
/** Refuse every call of the integration, keeping its credentials; an admin's, or the manifest's. */
export type SuspendIntegration = CommandBase & { type: 'SuspendIntegration'; origin: CommandOrigin };
export type ResumeIntegration = CommandBase & { type: 'ResumeIntegration'; origin: CommandOrigin };
/** The expiry job: record that `expiresAt` passed (calls are refused at that instant regardless). */
export type ExpireIntegration = CommandBase & { type: 'ExpireIntegration' };

export type IntegrationCommand =
  | CreateIntegration
  | UpdateIntegration
  | DeleteIntegration
  | StartActivation
  | CompleteActivation
  | ResetIntegration
  | SuspendIntegration
  | ResumeIntegration
  | ExpireIntegration;

/** An event as evolve reads it: the contract's `{type, payload}` plus the time it happened. */
export type IntegrationEventRecord = IntegrationEvent & { timestamp: Date };

export type RejectionCode =
  | 'INTEGRATION.NOT_FOUND'
  | 'INTEGRATION.ALREADY_EXISTS'
  | 'INTEGRATION.CONFIG_MANAGED'
  | 'INTEGRATION.NOT_CONFIG_MANAGED'
  | 'INTEGRATION.ALREADY_ACTIVE'
  | 'INTEGRATION.NOT_ACTIVE'
  | 'INTEGRATION.NO_ACTIVATION_PENDING'
  | 'INTEGRATION.ACTIVATION_MODE_CHANGED'
  | 'INTEGRATION.EXPIRES_AT_PAST';

/** A command the aggregate refuses in its current state. Mapped to HTTP in integration.errors.ts. */
export class IntegrationRejected extends Error {
  override readonly name = 'IntegrationRejected';
  constructor(
    readonly code: RejectionCode,
    message: string,
    /** The request field at fault, when one is (named in the error details). */
    readonly field?: string,
  ) {
    super(message);
  }
}

const notFound = () => new IntegrationRejected('INTEGRATION.NOT_FOUND', 'This integration no longer exists.');

/** Magento: token exchange only when both the callback URL and the identity link URL are set. */
export function activationMode(fields: Pick<IntegrationFields, 'callbackUrl' | 'identityLinkUrl'>): ActivationMode {
  return fields.callbackUrl && fields.identityLinkUrl ? 'exchange' : 'tokens';
}

export function decide(command: IntegrationCommand, state: IntegrationState): IntegrationEvent[] {
  switch (command.type) {
    case 'CreateIntegration':
      return create(command, state);
    case 'UpdateIntegration':
      return update(command, existing(state, command.origin, 'update'));
    case 'DeleteIntegration': {
      const current = existing(state, command.origin, 'delete');
      return [{ type: 'IntegrationDeleted', payload: { integrationId: current.id, name: current.name } }];
    }
    case 'StartActivation':
      return startActivation(command, existing(state));
    case 'CompleteActivation': {
      const current = existing(state);
      if (!current.pendingExchange) {
        throw new IntegrationRejected(
          'INTEGRATION.NO_ACTIVATION_PENDING',
          `Integration "${current.name}" is not waiting for a token exchange; activate it first.`,
        );
      }
      const payload = { integrationId: current.id, mode: 'exchange' as const };
      return [
        current.pendingExchange.reauthorize
          ? { type: 'IntegrationReauthorized', payload }
          : { type: 'IntegrationActivated', payload },
      ];
    }
    case 'ResetIntegration': {
      const current = existing(state);
      if (current.setupType !== 'config') {
        throw new IntegrationRejected(
          'INTEGRATION.NOT_CONFIG_MANAGED',
          `Integration "${current.name}" was created by an admin; only config-based integrations are reset.`,
        );
      }
      return [{ type: 'IntegrationReset', payload: { integrationId: current.id } }];
    }
    // Whatever the status: a suspension is a stop switch beside activation, which it leaves alone.
    // Suspending twice (or resuming what is not suspended) changes nothing.
    case 'SuspendIntegration': {
      const current = existing(state, command.origin, 'suspend');
      return current.suspended ? [] : [{ type: 'IntegrationSuspended', payload: { integrationId: current.id } }];
    }
    case 'ResumeIntegration': {
      const current = existing(state, command.origin, 'resume');
      return current.suspended ? [{ type: 'IntegrationResumed', payload: { integrationId: current.id } }] : [];
    }
    case 'ExpireIntegration': {
      // The job races deletes and edits: nothing to say about a gone integration or a moved date.
      if (state.kind !== 'Existing' || state.expiresAt === null) return [];
      if (Date.parse(state.expiresAt) > command.now.getTime() || state.expiryAnnounced === state.expiresAt) return [];
      return [{ type: 'IntegrationExpired', payload: { integrationId: state.id, expiresAt: state.expiresAt } }];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function create(command: CreateIntegration, state: IntegrationState): IntegrationEvent[] {
  if (state.kind !== 'Empty') {
    throw new IntegrationRejected(
      'INTEGRATION.ALREADY_EXISTS',
      `An integration with id ${command.integrationId} already exists.`,
    );
  }
  const { fields } = command;
  // The manifest is the desired state, read again at every start: an expiry that passed since it was
  // written is an expired integration, not a file that no longer loads.
  if (fields.expiresAt !== null && command.setupType === 'manual') assertFuture(fields.expiresAt, command.now);
  return [
    {
      type: 'IntegrationCreated',
      payload: {
        integrationId: command.integrationId,
        name: fields.name,
        email: fields.email,
        callbackUrl: fields.callbackUrl,
        identityLinkUrl: fields.identityLinkUrl,
        resourceAccess: fields.resourceAccess,
        resources: fields.resources,
        setupType: command.setupType,
        insecure: isInsecure(fields),
        // Controls only when set: the event of an integration without them reads as it always did.
        ...(fields.expiresAt !== null ? { expiresAt: fields.expiresAt } : {}),
        ...(fields.ipAllowList.length > 0 ? { ipAllowList: fields.ipAllowList } : {}),
        ...(fields.rateLimit !== null ? { rateLimit: fields.rateLimit } : {}),
      },
    },
  ];
}

/**
 * A new expiry must lie ahead (an update that keeps a passed one is fine: the admin edits something
 * else of an expired integration).
 */
function assertFuture(expiresAt: string, now: Date): void {
  if (Date.parse(expiresAt) > now.getTime()) return;
  throw new IntegrationRejected(
    'INTEGRATION.EXPIRES_AT_PAST',
    `Expires at ${expiresAt} is not in the future; choose a later date-time, or leave it empty for no expiry.`,
    'expiresAt',
  );
}

function update(command: UpdateIntegration, current: Existing): IntegrationEvent[] {
  const next = command.fields;
  const changes: Extract<IntegrationEvent, { type: 'IntegrationUpdated' }>['payload']['changes'] = {};
  if (next.name !== current.name) changes.name = next.name;
  if (next.email !== current.email) changes.email = next.email;
  if (next.callbackUrl !== current.callbackUrl) changes.callbackUrl = next.callbackUrl;
  if (next.identityLinkUrl !== current.identityLinkUrl) changes.identityLinkUrl = next.identityLinkUrl;
  if (next.resourceAccess !== current.resourceAccess) changes.resourceAccess = next.resourceAccess;
  if (!sameList(next.resources, current.resources)) changes.resources = next.resources;
  const insecure = isInsecure(next);
  if (insecure !== current.insecure) changes.insecure = insecure;
  if (next.expiresAt !== current.expiresAt) {
    if (next.expiresAt !== null && command.origin === 'admin') assertFuture(next.expiresAt, command.now);
    changes.expiresAt = next.expiresAt;
  }
  if (!sameList(next.ipAllowList, current.ipAllowList)) changes.ipAllowList = next.ipAllowList;
  if (!sameRateLimit(next.rateLimit, current.rateLimit)) changes.rateLimit = next.rateLimit;
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'IntegrationUpdated', payload: { integrationId: current.id, changes } }];
}

function startActivation(command: StartActivation, current: Existing): IntegrationEvent[] {
  const mode = activationMode(current);
  if (command.mode !== undefined && command.mode !== mode) {
    throw new IntegrationRejected(
      'INTEGRATION.ACTIVATION_MODE_CHANGED',
      `The callback or identity link URL of integration "${current.name}" changed while it was being activated; reload it and activate again.`,
    );
  }
  // Magento's grid: "Activate" unless active, "Reauthorize" when active; a Reset row runs the reauthorize flow.
  if (!command.reauthorize && current.status === 'active') {
    throw new IntegrationRejected(
      'INTEGRATION.ALREADY_ACTIVE',
      `Integration "${current.name}" is already active; reauthorize it to get new tokens.`,
    );
  }
  if (command.reauthorize && current.status === 'inactive') {
    throw new IntegrationRejected(
      'INTEGRATION.NOT_ACTIVE',
      `Integration "${current.name}" is not active; activate it instead of reauthorizing.`,
    );
  }
  const reauthorize = command.reauthorize || current.status === 'reset';
  if (mode === 'exchange') {
    return [{ type: 'IntegrationActivationStarted', payload: { integrationId: current.id, mode, reauthorize } }];
  }
  const payload = { integrationId: current.id, mode };
  return [reauthorize ? { type: 'IntegrationReauthorized', payload } : { type: 'IntegrationActivated', payload }];
}

/** The live integration, or the rejection an admin should see for a missing or config-owned one. */
function existing(
  state: IntegrationState,
  origin?: CommandOrigin,
  action?: 'update' | 'delete' | 'suspend' | 'resume',
): Existing {
  if (state.kind !== 'Existing') throw notFound();
  if (origin === 'admin' && state.setupType === 'config') {
    throw new IntegrationRejected('INTEGRATION.CONFIG_MANAGED', configManaged(state.name, action));
  }
  return state;
}

function configManaged(name: string, action?: 'update' | 'delete' | 'suspend' | 'resume'): string {
  switch (action) {
    case 'delete':
      return `Uninstall the extension to remove integration "${name}".`;
    case 'suspend':
    case 'resume':
      return `Integration "${name}" was created from a configuration file: set "suspended" in its manifest entry to ${action} it.`;
    default:
      return `Integration "${name}" was created from a configuration file and cannot be edited here.`;
  }
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);

const sameRateLimit = (a: RateLimit | null, b: RateLimit | null) =>
  a === b || (a !== null && b !== null && a.requestsPerMinute === b.requestsPerMinute && a.burst === b.burst);

export function evolve(state: IntegrationState, event: IntegrationEventRecord): IntegrationState {
  const at = event.timestamp;
  switch (event.type) {
    case 'IntegrationCreated': {
      const { integrationId, expiresAt, ipAllowList, rateLimit, ...data } = event.payload;
      return {
        kind: 'Existing',
        id: integrationId,
        ...data,
        expiresAt: expiresAt ?? null,
        ipAllowList: ipAllowList ?? [],
        rateLimit: rateLimit ?? null,
        status: 'inactive',
        pendingExchange: null,
        suspended: false,
        expiryAnnounced: null,
        createdAt: at,
        updatedAt: at,
      };
    }
    case 'IntegrationUpdated':
      return state.kind === 'Existing' ? { ...state, ...dropUndefined(event.payload.changes), updatedAt: at } : state;
    case 'IntegrationActivationStarted':
      // Magento sets the status to inactive while the third party completes the exchange.
      return state.kind === 'Existing'
        ? { ...state, status: 'inactive', pendingExchange: { reauthorize: event.payload.reauthorize }, updatedAt: at }
        : state;
    case 'IntegrationActivated':
    case 'IntegrationReauthorized':
      return state.kind === 'Existing' ? { ...state, status: 'active', pendingExchange: null, updatedAt: at } : state;
    case 'IntegrationReset':
      return state.kind === 'Existing' ? { ...state, status: 'reset', pendingExchange: null, updatedAt: at } : state;
    case 'IntegrationDeleted':
      return { kind: 'Deleted', id: event.payload.integrationId, name: event.payload.name, deletedAt: at };
    case 'IntegrationSuspended':
      return state.kind === 'Existing' ? { ...state, suspended: true, updatedAt: at } : state;
    case 'IntegrationResumed':
      return state.kind === 'Existing' ? { ...state, suspended: false, updatedAt: at } : state;
    case 'IntegrationExpired':
      // Nobody changed the integration: `updatedAt` stays.
      return state.kind === 'Existing' ? { ...state, expiryAnnounced: event.payload.expiresAt } : state;
    default: {
      const _exhaustive: never = event;
      throw new Error(`Unknown event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export function fold(
  events: readonly IntegrationEventRecord[],
  state: IntegrationState = initialState,
): IntegrationState {
  return events.reduce(evolve, state);
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
