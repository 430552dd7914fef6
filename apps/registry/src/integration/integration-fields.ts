import { z } from 'zod';

/**
 * Server-side rules for the admin-editable fields of an integration. Magento checks email and URLs
 * only in the browser; we check them here, each issue with a stable `code` in `params` so clients
 * can map it (see `toFieldDetails`).
 */
export const NAME_MAX = 255;
export const EMAIL_MAX = 254;
export const URL_MAX = 255;
export const RESOURCES_MAX = 1000;

type Issue = { code: string; message: string };
const addIssue = (ctx: z.RefinementCtx, issue: Issue) =>
  ctx.addIssue({ code: 'custom', message: issue.message, params: { code: issue.code } });

/** Optional text: absent, null or blank all mean "not set" (null). */
const optionalText = (label: string) =>
  z
    .union([z.string(), z.null()], { error: `${label} must be a string or null.` })
    .optional()
    .transform((value) => (value == null || value.trim() === '' ? null : value.trim()));

export const nameField = z
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
    else if (value.length > NAME_MAX)
      addIssue(ctx, {
        code: 'INTEGRATION.NAME_TOO_LONG',
        message: `Name is too long (${value.length} characters); use at most ${NAME_MAX}.`,
      });
  });

// Practical address check: one @, a local part, a dotted domain, no spaces or angle brackets.
const EMAIL =
  /^[^\s@<>()",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const emailField = optionalText('Email').superRefine((value, ctx) => {
  if (value === null) return;
  if (value.length > EMAIL_MAX)
    addIssue(ctx, {
      code: 'INTEGRATION.EMAIL_TOO_LONG',
      message: `Email is too long (${value.length} characters); use at most ${EMAIL_MAX}.`,
    });
  else if (!EMAIL.test(value))
    addIssue(ctx, {
      code: 'INTEGRATION.EMAIL_INVALID',
      message: 'Email is not a valid address. Enter an address like name@example.com, or leave it empty.',
    });
});

export const urlField = (label: string) =>
  optionalText(label).superRefine((value, ctx) => {
    if (value === null) return;
    const problem = urlProblem(value, label);
    if (problem) addIssue(ctx, problem);
  });

/** Why a URL is refused, or null. Exported for tests and for other edges that take URLs. */
export function urlProblem(value: string, label: string): Issue | null {
  if (value.length > URL_MAX)
    return {
      code: 'INTEGRATION.URL_TOO_LONG',
      message: `${label} is too long (${value.length} characters); use at most ${URL_MAX}.`,
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

export const resourceAccessField = z.enum(['all', 'custom'], { error: 'Resource access must be "all" or "custom".' });

export const resourcesField = z
  .array(
    z
      .string({ error: 'Each resource must be a string id such as "Magento_Sales::sales".' })
      .max(255, { error: 'A resource id is at most 255 characters.' }),
    {
      error: 'Resources must be a list of ACL resource ids.',
    },
  )
  .max(RESOURCES_MAX, { error: `At most ${RESOURCES_MAX} resources can be granted.` })
  .optional();

/** The body of POST /integrations (and PUT, which takes the same body). Unknown fields are refused. */
export const integrationFieldsSchema = z
  .object({
    name: nameField,
    email: emailField,
    callbackUrl: urlField('Callback URL'),
    identityLinkUrl: urlField('Identity link URL'),
    resourceAccess: resourceAccessField,
    resources: resourcesField,
  })
  .strict();

/** What the decider receives: trimmed, nulls for blanks, resources deduplicated and sorted. */
export interface IntegrationFields {
  name: string;
  email: string | null;
  callbackUrl: string | null;
  identityLinkUrl: string | null;
  resourceAccess: 'all' | 'custom';
  resources: string[];
}

/**
 * `all` stores no ids (granting `Magento_Backend::all` is the acl service's business); ids sent
 * along with `all` are ignored, as Magento ignores the tree when "All" is selected.
 */
export function toIntegrationFields(input: z.output<typeof integrationFieldsSchema>): IntegrationFields {
  const resources = input.resourceAccess === 'all' ? [] : [...new Set(input.resources ?? [])].sort();
  return {
    name: input.name,
    email: input.email,
    callbackUrl: input.callbackUrl,
    identityLinkUrl: input.identityLinkUrl,
    resourceAccess: input.resourceAccess,
    resources,
  };
}

/**
 * Magento's rule: either URL starts with `http:`; an empty URL is secure. Magento compares
 * case-sensitively; we also flag `HTTP:`, which it would miss, since we accept the scheme in any case.
 */
export function isInsecure(fields: Pick<IntegrationFields, 'callbackUrl' | 'identityLinkUrl'>): boolean {
  return [fields.callbackUrl, fields.identityLinkUrl].some((url) => url?.toLowerCase().startsWith('http:') ?? false);
}
