import { z } from 'zod';
import { ActivationMode } from '../integration/integration-fields';
import { queryInteger } from './query-string';

/**
 * The registry's integration commands (gateway -> registry): what an admin may set on an
 * integration, and the version a change expects. The registry validates these; the gateway passes
 * the registry's 400s through, so one rule gives one answer wherever it is broken. Magento checks
 * email and URLs only in the browser; these rules check them on the server, each issue with a
 * stable `code` in `params` (the registry copies it into the error details).
 */
export const INTEGRATION_NAME_MAX = 255;
export const INTEGRATION_EMAIL_MAX = 254;
export const INTEGRATION_URL_MAX = 255;
export const INTEGRATION_RESOURCES_MAX = 1000;

type FieldIssue = { code: string; message: string };
const addIssue = (ctx: z.RefinementCtx, issue: FieldIssue) =>
  ctx.addIssue({ code: 'custom', message: issue.message, params: { code: issue.code } });

/** Optional text: absent, null or blank all mean "not set" (null). */
const optionalText = (label: string) =>
  z
    .union([z.string(), z.null()], { error: `${label} must be a string or null.` })
    .optional()
    .transform((value) => (value == null || value.trim() === '' ? null : value.trim()));

export const IntegrationNameField = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'Name is required. Enter a name for the integration.' : 'Name must be a string.',
  })
  .transform((value) => value.trim())
  .superRefine((value, ctx) => {
    if (value.length === 0)
      addIssue(ctx, {
        code: 'INTEGRATION.NAME_REQUIRED',
        message: 'Name is required. Enter a name for the integration.',
      });
    else if (value.length > INTEGRATION_NAME_MAX)
      addIssue(ctx, {
        code: 'INTEGRATION.NAME_TOO_LONG',
        message: `Name is too long (${value.length} characters); use at most ${INTEGRATION_NAME_MAX}.`,
      });
  })
  // The checks above are refinements (for their codes); JSON Schema learns the bounds from here.
  .meta({
    minLength: 1,
    maxLength: INTEGRATION_NAME_MAX,
    description: 'Trimmed; unique among integrations, case-insensitively.',
  });

// Practical address check: one @, a local part, a dotted domain, no spaces or angle brackets.
const EMAIL =
  /^[^\s@<>()",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const IntegrationEmailField = optionalText('Email')
  .superRefine((value, ctx) => {
    if (value === null) return;
    if (value.length > INTEGRATION_EMAIL_MAX)
      addIssue(ctx, {
        code: 'INTEGRATION.EMAIL_TOO_LONG',
        message: `Email is too long (${value.length} characters); use at most ${INTEGRATION_EMAIL_MAX}.`,
      });
    else if (!EMAIL.test(value))
      addIssue(ctx, {
        code: 'INTEGRATION.EMAIL_INVALID',
        message: 'Email is not a valid address. Enter an address like name@example.com, or leave it empty.',
      });
  })
  .meta({ format: 'email', maxLength: INTEGRATION_EMAIL_MAX, description: 'Blank or null: none.' });

export const integrationUrlField = (label: string) =>
  optionalText(label)
    .superRefine((value, ctx) => {
      if (value === null) return;
      const problem = integrationUrlProblem(value, label);
      if (problem) addIssue(ctx, problem);
    })
    .meta({
      format: 'uri',
      maxLength: INTEGRATION_URL_MAX,
      description: 'Absolute http(s) URL without credentials; blank or null: none.',
    });

/** Why a URL is refused, or null. */
export function integrationUrlProblem(value: string, label: string): FieldIssue | null {
  if (value.length > INTEGRATION_URL_MAX)
    return {
      code: 'INTEGRATION.URL_TOO_LONG',
      message: `${label} is too long (${value.length} characters); use at most ${INTEGRATION_URL_MAX}.`,
    };
  // Control characters and spaces are silently stripped or encoded by URL parsers; refuse them instead.
  if (/[\s\u0000-\u001f\u007f]/.test(value))
    return { code: 'INTEGRATION.URL_INVALID', message: `${label} must not contain spaces or control characters.` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {
      code: 'INTEGRATION.URL_INVALID',
      message: `${label} must be an absolute URL starting with https:// (or http://).`,
    };
  }
  // Also refuses javascript:, data:, file:, ftp: … and relative references like "//host/x" or "/x".
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !/^https?:\/\//i.test(value)) {
    return { code: 'INTEGRATION.URL_SCHEME', message: `${label} must start with https:// or http://.` };
  }
  if (!url.hostname) return { code: 'INTEGRATION.URL_INVALID', message: `${label} must name a host.` };
  if (url.username || url.password || /^https?:\/\/[^/?#]*@/i.test(value)) {
    return {
      code: 'INTEGRATION.URL_CREDENTIALS',
      message: `${label} must not contain a user name or password; pass credentials another way.`,
    };
  }
  return null;
}

export const IntegrationResourceAccessField = z.enum(['all', 'custom'], {
  error: 'Resource access must be "all" or "custom".',
});

export const IntegrationResourcesField = z
  .array(
    z
      .string({ error: 'Each resource must be a string id such as "Magento_Sales::sales".' })
      .max(255, { error: 'A resource id is at most 255 characters.' }),
    { error: 'Resources must be a list of ACL resource ids.' },
  )
  .max(INTEGRATION_RESOURCES_MAX, { error: `At most ${INTEGRATION_RESOURCES_MAX} resources can be granted.` })
  .optional()
  .meta({ description: 'ACL resource ids (Magento ids) when resourceAccess is custom; ignored with all.' });

/**
 * `POST /integrations` (registry): `{name, email?, callbackUrl?, identityLinkUrl?, resourceAccess,
 * resources?}`. Unknown fields are refused (a typo is a 400, not a silent no-op). Parsing trims,
 * and turns blanks into null.
 */
export const CreateIntegrationRequestSchema = z.strictObject({
  name: IntegrationNameField,
  email: IntegrationEmailField,
  callbackUrl: integrationUrlField('Callback URL'),
  identityLinkUrl: integrationUrlField('Identity link URL'),
  resourceAccess: IntegrationResourceAccessField,
  resources: IntegrationResourcesField,
});
export type CreateIntegrationRequest = z.output<typeof CreateIntegrationRequestSchema>;

/** A stream version: 1 for a new integration, one more per change. */
export const IntegrationVersionSchema = z.number().int().min(1);

/**
 * `PUT /integrations/{id}` (registry): the POST body plus the version the admin edited (or an
 * If-Match header; both must agree).
 */
export const UpdateIntegrationRequestSchema = CreateIntegrationRequestSchema.extend({
  expectedVersion: IntegrationVersionSchema.optional().meta({ description: 'Alternative to If-Match.' }),
});
export type UpdateIntegrationRequest = z.output<typeof UpdateIntegrationRequestSchema>;

const IF_MATCH_PROBLEM = 'If-Match must be the integration version you last read, e.g. "3".';

/**
 * `If-Match` on PUT and DELETE: the version last read, as `"3"`, `3` or `W/"3"`; `*` (or blank)
 * means any version. Parses to the version, or undefined.
 */
export const IfMatchSchema = z
  .string({ error: IF_MATCH_PROBLEM })
  .regex(/^\s*(?:\*|(?:W\/)?"?[1-9]\d{0,14}"?)?\s*$/, IF_MATCH_PROBLEM)
  .transform((value) => {
    const digits = /\d+/.exec(value);
    return digits ? Number(digits[0]) : undefined;
  })
  .meta({ description: 'The version you last read ("3", 3 or W/"3"); 409 INTEGRATION.CONFLICT if it changed since.' });

/** The canonical `If-Match` value for a version (what the gateway forwards). */
export const ifMatchFor = (version: number): string => `"${version}"`;

/**
 * The version a command expects, from `If-Match` and the body's or query's `expectedVersion`
 * (either may be absent; when both are given they must agree). Undefined: the version just loaded.
 * Keys are named as the client sent them, so an error names the header or field at fault.
 */
export const ExpectedVersionSchema = z
  .object({ 'If-Match': IfMatchSchema.optional(), expectedVersion: IntegrationVersionSchema.optional() })
  .superRefine((value, ctx) => {
    const header = value['If-Match'];
    if (header !== undefined && value.expectedVersion !== undefined && header !== value.expectedVersion)
      ctx.addIssue({
        code: 'custom',
        path: ['expectedVersion'],
        message: 'expectedVersion and If-Match disagree; send one of them.',
      });
  })
  .transform((value) => value['If-Match'] ?? value.expectedVersion);

/** `DELETE /integrations/{id}` (registry) takes no body; the version may come as `?expectedVersion=`. */
export const DeleteIntegrationQuerySchema = z.strictObject({
  expectedVersion: queryInteger('expectedVersion')
    .optional()
    .meta({ description: 'Refuse (409) if the integration changed since this version.' }),
});
export type DeleteIntegrationQuery = z.output<typeof DeleteIntegrationQuerySchema>;

/**
 * `POST /integrations/{id}/activation` (registry), sent by the gateway once the oauth service
 * issued the credentials: `mode` is the one they were issued for (Magento: `exchange` iff both URLs
 * are set).
 */
export const StartActivationRequestSchema = z.strictObject({
  reauthorize: z.boolean({ error: 'reauthorize must be true (Reauthorize) or false (Activate).' }),
  mode: ActivationMode,
});
export type StartActivationRequest = z.output<typeof StartActivationRequestSchema>;
