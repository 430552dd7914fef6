/**
 * The settings of the platform: one declaration per Magento-style path. The config service validates
 * every change against it; every consumer (oauth, acl, gateway) reads its typed defaults from it, so
 * a service that has not heard from the config service yet behaves exactly like a fresh install.
 *
 * Labels and comments are Magento's (`Magento/Integration/etc/adminhtml/system.xml`,
 * `Magento/Webapi/etc/adminhtml/system.xml`) where the setting exists there; `origin: 'platform'`
 * marks settings Magento does not have.
 *
 * Values, and how input is coerced (the only coercion there is):
 * - boolean: JSON `true`/`false`; also `1`/`0` and `"1"`/`"0"`, because Magento stores Yes/No as
 *   "1"/"0" and `bin/magento config:set` values get pasted as is. Stored and published as a boolean.
 *   Nothing else (`"true"`, `"yes"`, `2`) is accepted: guessing at a security switch is worse than a 400.
 * - integer: a JSON number with no fractional part, inside [min, max]. Numeric strings are rejected
 *   (`"5"` is not 5), so a client bug shows up instead of being papered over.
 * - host-list: a string of comma-separated host names, IP addresses or CIDR ranges; normalised
 *   (trimmed, lower-cased, de-duplicated, joined with ",").
 * Magento silently falls back to the default for values ≤ 0; we reject out-of-range values instead
 * and say what the range is.
 */

/** Magento's "Global" scope (showInDefault only). Every setting we have is global. */
export type SettingScope = 'global';

interface SettingBase {
  scope: SettingScope;
  label: string;
  description: string;
  /** Admin section / group, as Magento's Stores > Configuration shows it. */
  group: string;
  /** `magento`: same path, meaning and default as Magento; `platform`: ours. */
  origin: 'magento' | 'platform';
}

export interface BooleanSettingDefinition extends SettingBase {
  type: 'boolean';
  default: boolean;
}

export interface IntegerSettingDefinition extends SettingBase {
  type: 'integer';
  default: number;
  min: number;
  max: number;
  unit?: 'seconds' | 'minutes' | 'days';
}

export interface HostListSettingDefinition extends SettingBase {
  type: 'host-list';
  default: string;
  maxLength: number;
}

export type SettingDefinition = BooleanSettingDefinition | IntegerSettingDefinition | HostListSettingDefinition;

const boolean = (definition: Omit<BooleanSettingDefinition, 'type' | 'scope'>): BooleanSettingDefinition => ({
  type: 'boolean',
  scope: 'global',
  ...definition,
});
const integer = (definition: Omit<IntegerSettingDefinition, 'type' | 'scope'>): IntegerSettingDefinition => ({
  type: 'integer',
  scope: 'global',
  ...definition,
});
const hostList = (definition: Omit<HostListSettingDefinition, 'type' | 'scope'>): HostListSettingDefinition => ({
  type: 'host-list',
  scope: 'global',
  ...definition,
});

const WEB_API_SECURITY = 'Magento Web API > Web API Security';
const OAUTH_CONSUMER = 'OAuth > Consumer Settings';
const OAUTH_CLEANUP = 'OAuth > Cleanup Settings';
const OAUTH_SIGNATURE = 'OAuth > Signed Requests';
const INTEGRATION_RATE_LIMITS = 'Integrations > Rate Limits';
const INTEGRATION_EXPIRY = 'Integrations > Expiry';

export const SETTINGS_CATALOG = Object.freeze({
  'webapi/webapisecurity/allow_insecure': boolean({
    default: false,
    label: 'Allow Anonymous Guest Access',
    description:
      'This feature applies only to CMS, Catalog and Store APIs. Please consult your developers for details on potential security risks.',
    group: WEB_API_SECURITY,
    origin: 'magento',
  }),
  'oauth/consumer/expiration_period': integer({
    default: 300,
    min: 1,
    max: 86_400,
    unit: 'seconds',
    label: 'Expiration Period',
    description: 'Consumer key/secret will expire if not used within X seconds after Oauth token exchange starts.',
    group: OAUTH_CONSUMER,
    origin: 'magento',
  }),
  'oauth/consumer/post_timeout': integer({
    default: 5,
    min: 1,
    max: 60,
    unit: 'seconds',
    label: 'OAuth consumer credentials HTTP Post timeout',
    description: 'Seconds to wait for the callback URL to answer the credentials POST of the token exchange.',
    group: OAUTH_CONSUMER,
    origin: 'magento',
  }),
  'oauth/consumer/post_maxredirects': integer({
    default: 0,
    min: 0,
    max: 5,
    label: 'OAuth consumer credentials HTTP Post maxredirects',
    description: 'Redirects the credentials POST may follow. Each redirect target is checked like the callback URL.',
    group: OAUTH_CONSUMER,
    origin: 'magento',
  }),
  'oauth/consumer/enable_integration_as_bearer': boolean({
    default: false,
    label: 'Allow OAuth Access Tokens to be used as standalone Bearer tokens',
    description:
      'When Yes, an active integration may call the API with "Authorization: Bearer <access token>" instead of signing each request.',
    group: OAUTH_CONSUMER,
    origin: 'magento',
  }),
  'oauth/consumer/outbound_allowlist': hostList({
    default: '',
    maxLength: 2_000,
    label: 'Credentials POST allow-list',
    description:
      'Comma-separated IP addresses or CIDR ranges the credentials POST may reach even when they are loopback, private, link-local or metadata addresses (local runs and tests). A host name here opens nothing: DNS could hand it any address. Empty: such addresses are always refused.',
    group: OAUTH_CONSUMER,
    origin: 'platform',
  }),
  'oauth/consumer/secret_rotation_overlap': integer({
    default: 0,
    min: 0,
    max: 604_800,
    unit: 'seconds',
    label: 'Consumer secret rotation overlap',
    description:
      'Seconds the previous consumer secret keeps working after "Rotate consumer secret", so a partner can switch without downtime. 0: it stops at once.',
    group: OAUTH_CONSUMER,
    origin: 'platform',
  }),
  'oauth/cleanup/cleanup_probability': integer({
    default: 100,
    min: 0,
    max: 10_000,
    label: 'Cleanup Probability',
    description: 'Integer. Launch cleanup in X OAuth requests. 0 (not recommended) - to disable cleanup',
    group: OAUTH_CLEANUP,
    origin: 'magento',
  }),
  'oauth/cleanup/expiration_period': integer({
    default: 120,
    min: 1,
    max: 10_080,
    unit: 'minutes',
    label: 'Expiration Period',
    description: 'Cleanup entries older than X minutes.',
    group: OAUTH_CLEANUP,
    origin: 'magento',
  }),
  'oauth/signature/allow_hmac_sha1': boolean({
    default: false,
    label: 'Accept HMAC-SHA1 signatures',
    description:
      'Magento 2.4.4 and later accept HMAC-SHA256 only. Yes also accepts HMAC-SHA1, for older clients; SHA1 is weaker.',
    group: OAUTH_SIGNATURE,
    origin: 'platform',
  }),
  'oauth/signature/timestamp_window': integer({
    default: 600,
    min: 30,
    max: 3_600,
    unit: 'seconds',
    label: 'Timestamp window',
    description:
      'A signed request whose oauth_timestamp is more than X seconds in the past or the future is rejected. Nonces are kept at least this long.',
    group: OAUTH_SIGNATURE,
    origin: 'platform',
  }),
  'oauth/access/reauthorize_grace_period': integer({
    default: 0,
    min: 0,
    max: 3_600,
    unit: 'seconds',
    label: 'Reauthorize grace period',
    description:
      'Seconds the previous access token keeps working after a reauthorize, so a partner can switch over. 0: it stops at once.',
    group: OAUTH_SIGNATURE,
    origin: 'platform',
  }),
  // Read by the acl, which names the limit of each call to the gateway (docs/adr/0010).
  'integrations/rate_limit/requests_per_minute': integer({
    default: 0,
    min: 0,
    max: 100_000,
    label: 'Default requests per minute',
    description:
      'Calls a minute each integration without a rate limit of its own may make; more get 429 with Retry-After. 0: no default limit.',
    group: INTEGRATION_RATE_LIMITS,
    origin: 'platform',
  }),
  'integrations/rate_limit/burst': integer({
    default: 0,
    min: 0,
    max: 10_000,
    label: 'Default burst',
    description: 'Of those, how many may arrive within one second. 0: no limit per second (only the limit per minute).',
    group: INTEGRATION_RATE_LIMITS,
    origin: 'platform',
  }),
  // Read by the admin interface only: when the grid starts saying "expires in N days".
  'integrations/expiry/warning_days': integer({
    default: 7,
    min: 0,
    max: 365,
    unit: 'days',
    label: 'Expiry warning',
    description: 'The grid says "expires in N days" for integrations that expire within this many days. 0: no warning.',
    group: INTEGRATION_EXPIRY,
    origin: 'platform',
  }),
} satisfies Record<string, SettingDefinition>);

export type SettingsCatalog = typeof SETTINGS_CATALOG;
export type SettingPath = keyof SettingsCatalog;

type ValueOf<D extends SettingDefinition> = D extends BooleanSettingDefinition
  ? boolean
  : D extends IntegerSettingDefinition
    ? number
    : D extends HostListSettingDefinition
      ? string
      : never;

/** Every setting's current value, keyed by path: `settings['oauth/consumer/post_timeout']` is a number. */
export type Settings = { readonly [P in SettingPath]: ValueOf<SettingsCatalog[P]> };
export type SettingValue = Settings[SettingPath];

export const SETTING_PATHS: readonly SettingPath[] = Object.freeze(Object.keys(SETTINGS_CATALOG) as SettingPath[]);

export function isSettingPath(path: string): path is SettingPath {
  return Object.prototype.hasOwnProperty.call(SETTINGS_CATALOG, path);
}

export function settingDefinition(path: SettingPath): SettingDefinition {
  return SETTINGS_CATALOG[path];
}

/** A fresh object with every default: what a service runs on before it hears of any change. */
export function defaultSettings(): Settings {
  const values: Record<string, SettingValue> = {};
  for (const path of SETTING_PATHS) values[path] = SETTINGS_CATALOG[path].default;
  return values as Settings;
}

export type SettingValidation<V = SettingValue> =
  { ok: true; value: V } | { ok: false; reason: 'unknown-path' | 'invalid-value'; message: string };

/**
 * Checks (and normalises, see the coercion rules above) one value. The message names the path and
 * the allowed values, e.g. "oauth/consumer/post_timeout must be an integer between 1 and 60
 * (seconds); got 0." It describes what was received without quoting strings.
 */
export function validateSettingValue<P extends SettingPath>(path: P, value: unknown): SettingValidation<Settings[P]>;
export function validateSettingValue(path: string, value: unknown): SettingValidation;
export function validateSettingValue(path: string, value: unknown): SettingValidation {
  if (!isSettingPath(path)) {
    return { ok: false, reason: 'unknown-path', message: `${path} is not a known setting.` };
  }
  const definition: SettingDefinition = SETTINGS_CATALOG[path];
  const invalid = (expected: string, got = describeReceived(value)): SettingValidation => ({
    ok: false,
    reason: 'invalid-value',
    message: `${path} must be ${expected}; got ${got}.`,
  });
  switch (definition.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 1 || value === '1') return { ok: true, value: true };
      if (value === 0 || value === '0') return { ok: true, value: false };
      return invalid('a boolean (true or false; 1 or 0 and "1" or "0" are accepted too)');
    }
    case 'integer': {
      const expected = `an integer between ${definition.min} and ${definition.max}${definition.unit ? ` (${definition.unit})` : ''}`;
      if (typeof value !== 'number' || !Number.isInteger(value)) return invalid(expected);
      if (value < definition.min || value > definition.max) return invalid(expected, String(value));
      return { ok: true, value };
    }
    case 'host-list': {
      const expected = `a comma-separated list of host names, IP addresses or CIDR ranges, at most ${definition.maxLength} characters`;
      if (typeof value !== 'string') return invalid(expected);
      if (value.length > definition.maxLength) return invalid(expected, `${value.length} characters`);
      const entries = splitHostList(value);
      const bad = entries.findIndex((entry) => !isHostPattern(entry));
      if (bad >= 0) return invalid(expected, `an entry (number ${bad + 1}) that is none of these`);
      return { ok: true, value: [...new Set(entries)].join(',') };
    }
    default: {
      const _exhaustive: never = definition;
      return _exhaustive;
    }
  }
}

/** The range or values a setting accepts, for UIs and error messages. */
export function describeAllowedValues(definition: SettingDefinition): string {
  switch (definition.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
      return `${definition.min}..${definition.max}${definition.unit ? ` ${definition.unit}` : ''}`;
    case 'host-list':
      return `comma-separated host names, IP addresses or CIDR ranges (max ${definition.maxLength} characters)`;
    default: {
      const _exhaustive: never = definition;
      return _exhaustive;
    }
  }
}

/** A host-list value as its entries (trimmed, lower-cased, empty entries dropped). */
export function splitHostList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0);
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** A host name, an IPv4/IPv6 address, or a CIDR range of either. Browser-safe (no node:net). */
export function isHostPattern(entry: string): boolean {
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const address = entry.slice(0, slash);
    const prefix = entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefix)) return false;
    if (IPV4.test(address)) return Number(prefix) <= 32;
    return isIpv6(address) && Number(prefix) <= 128;
  }
  return IPV4.test(entry) || isIpv6(entry) || (HOST_NAME.test(entry) && !/^[\d.]+$/.test(entry));
}

function isIpv6(address: string): boolean {
  if (!address.includes(':') || !/^[0-9a-f:.]+$/i.test(address)) return false;
  try {
    // The WHATWG URL parser implements the IPv6 grammar exactly, in Node and in browsers.
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}

function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isFinite(value) ? String(value) : 'a non-finite number';
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'nothing';
    default:
      return `a value of type ${typeof value}`;
  }
}
