/** Shapes of the gateway's admin API (its OpenAPI description is served at /admin/docs). */

export type IntegrationStatus = 'inactive' | 'active' | 'reset';
export type SetupType = 'manual' | 'config';
export type ResourceAccess = 'all' | 'custom';

export interface Integration {
  id: string;
  name: string;
  email: string | null;
  callbackUrl: string | null;
  identityLinkUrl: string | null;
  status: IntegrationStatus;
  setupType: SetupType;
  resourceAccess: ResourceAccess;
  resources: string[];
  insecure: boolean;
  /** Every call refused until resumed; `status` is kept meanwhile. */
  suspended: boolean;
  /** Calls are refused from then on (ISO 8601, UTC); null: never. */
  expiresAt: string | null;
  /** `expiresAt` has passed (as of the answer). */
  expired: boolean;
  /** CIDR ranges it may call from; []: any address. */
  ipAllowList: string[];
  /** Its own limit; null: the platform default. */
  rateLimit: RateLimit | null;
  createdAt: string;
  updatedAt: string;
  /** Grid rows only; null until the integration has called the API. */
  lastUsedAt?: string | null;
  version: number;
}

export interface RateLimit {
  requestsPerMinute: number;
  burst: number;
}

/** What the grid's Status column shows and filters by: the controls first, then the activation status. */
export type GridStatus = IntegrationStatus | 'suspended' | 'expired';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type IntegrationSort =
  'name' | '-name' | 'status' | '-status' | 'createdAt' | '-createdAt' | 'updatedAt' | '-updatedAt';

export interface IntegrationQuery {
  name?: string;
  status?: GridStatus;
  setupType?: SetupType;
  sort?: IntegrationSort;
  page?: number;
  pageSize?: number;
}

export interface IntegrationInput {
  name: string;
  email: string | null;
  callbackUrl: string | null;
  identityLinkUrl: string | null;
  resourceAccess: ResourceAccess;
  resources: string[];
  expiresAt: string | null;
  ipAllowList: string[];
  rateLimit: RateLimit | null;
}

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

export type ActivationResult =
  { mode: 'tokens'; credentials: Credentials } | { mode: 'exchange'; consumerKey: string; identityLinkUrl: string };

export interface AclResource {
  id: string;
  title: string;
  children: AclResource[];
}

export interface HistoryEntry {
  version: number;
  type: string;
  actor: string | null;
  at: string;
  changes: Record<string, unknown>;
}

export interface SettingDescription {
  path: string;
  type: 'boolean' | 'integer' | 'host-list' | (string & {});
  label: string;
  description?: string;
  group?: string;
  default?: unknown;
  min?: number;
  max?: number;
  unit?: string;
  maxLength?: number;
  value: unknown;
}

export interface ConfigView {
  values: Record<string, unknown>;
  settings: SettingDescription[];
  version: number;
}

/** One entry of an error's `details`: the field, the rule's stable code when it has one, the API's words. */
export interface FieldError {
  field?: string;
  code?: string;
  /** INTEGRATION.UNKNOWN_RESOURCE: the resource id refused. */
  resource?: string;
  message: string;
}

/** Why a call was refused, as `GET /admin/v1/integrations/{id}/usage` counts it. */
export type UsageRefusalReason = 'signature' | 'acl' | 'route' | 'rateLimit' | 'ip' | 'expired' | 'suspended';

/** `GET /admin/v1/integrations/{id}/usage` (the contract: libs/contracts IntegrationUsageSchema). */
export interface IntegrationUsage {
  integrationId: string;
  /** UTC dates, `YYYY-MM-DD`. */
  from: string;
  to: string;
  daily: Array<{ date: string; calls: number; accepted: number; refused: number }>;
  totals: { calls: number; accepted: number; refused: number };
  refusals: Record<UsageRefusalReason, number>;
  lastCallAt: string | null;
}

/** Admin roles and permissions as the gateway defines them (apps/gateway/src/admin-auth/admin-roles.ts). */
export type AdminRole = 'administrator' | 'integrations-manager' | 'viewer';
export type AdminPermission =
  'integrations:read' | 'integrations:write' | 'config:read' | 'config:write' | 'config:security' | 'admins:manage';

/** GET /admin/v1/auth/me */
export interface AdminProfile {
  username: string;
  role: AdminRole;
  permissions: AdminPermission[];
  interfaceLocale: string | null;
  expiresAt: string;
}

/** GET /admin/v1/integrations/{id}/details: never a secret, nor a whole token. */
export interface IntegrationDetails {
  integrationId: string;
  consumer: {
    consumerKey: string;
    issuedAt: string;
    lastUsedAt: string | null;
    secretIssuedAt: string;
    previousSecretExpiresAt: string | null;
  } | null;
  accessToken: { last4: string | null; issuedAt: string; lastUsedAt: string | null } | null;
}

/** POST /admin/v1/integrations/{id}/consumer-secret/rotate: the new secret only without a token exchange. */
export type RotatedSecret =
  | { mode: 'tokens'; consumerKey: string; consumerSecret: string; previousSecretExpiresAt: string | null }
  | { mode: 'exchange'; consumerKey: string; previousSecretExpiresAt: string | null };
