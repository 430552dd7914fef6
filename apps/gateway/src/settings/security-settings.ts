/**
 * Settings that open or widen access to the platform: changing them needs the admin's current
 * password (step-up), as integration changes do, so a stolen or unattended session cannot
 * quietly open guest access, accept Bearer tokens or weaker signatures, let the credentials POST
 * reach internal addresses, or keep a replaced consumer secret working longer. Only administrators
 * may change them (`config:security`).
 */
export const STEP_UP_SETTING_PATHS: ReadonlySet<string> = new Set([
  'webapi/webapisecurity/allow_insecure',
  'oauth/consumer/enable_integration_as_bearer',
  'oauth/consumer/outbound_allowlist',
  'oauth/signature/allow_hmac_sha1',
  'oauth/consumer/secret_rotation_overlap',
]);

export interface SettingsChange {
  /** What goes to the config service: the body without `currentPassword`. */
  forwarded: Record<string, unknown>;
  currentPassword: unknown;
  /** The step-up paths among the values, in the order given. */
  stepUpPaths: string[];
}

/**
 * Splits `PUT /admin/v1/config`'s body. Anything that is not `{values: {...}}` is forwarded as it is
 * (minus `currentPassword`): the config service owns the validation and its error messages.
 */
export function splitSettingsChange(body: unknown): SettingsChange {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { forwarded: (body ?? {}) as Record<string, unknown>, currentPassword: undefined, stepUpPaths: [] };
  }
  const { currentPassword, ...forwarded } = body as Record<string, unknown>;
  const values = forwarded.values;
  const paths = typeof values === 'object' && values !== null && !Array.isArray(values) ? Object.keys(values) : [];
  return { forwarded, currentPassword, stepUpPaths: paths.filter((path) => STEP_UP_SETTING_PATHS.has(path)) };
}
