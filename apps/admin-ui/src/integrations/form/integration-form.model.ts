import type { FieldError, Integration, IntegrationInput, ResourceAccess } from '../../api/types';

/** What the form edits; the password is kept apart so it never reaches a draft. */
export interface FormValues {
  name: string;
  email: string;
  callbackUrl: string;
  identityLinkUrl: string;
  resourceAccess: ResourceAccess;
  resources: string[];
  /** As an `<input type="datetime-local">` holds it (local time); '' for none. */
  expiresAt: string;
  /** One address or CIDR range a line. */
  ipAllowList: string;
  /** Both blank: the platform default. */
  rateLimit: { requestsPerMinute: string; burst: string };
}

export type FormField = keyof FormValues | 'currentPassword';
export type FormErrors = Partial<Record<FormField, string>>;
export type FormTab = 'info' | 'api';

export const TAB_OF: Record<FormField, FormTab> = {
  name: 'info',
  email: 'info',
  callbackUrl: 'info',
  identityLinkUrl: 'info',
  currentPassword: 'info',
  expiresAt: 'info',
  ipAllowList: 'info',
  rateLimit: 'info',
  resourceAccess: 'api',
  resources: 'api',
};

export function emptyValues(): FormValues {
  // Least privilege by default: Custom with nothing selected.
  return {
    name: '',
    email: '',
    callbackUrl: '',
    identityLinkUrl: '',
    resourceAccess: 'custom',
    resources: [],
    expiresAt: '',
    ipAllowList: '',
    rateLimit: { requestsPerMinute: '', burst: '' },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as `<input type="datetime-local">` shows it, in the browser's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The local date-time typed, as an instant (the API wants its offset); what cannot be read is sent as typed. */
export function fromLocalInput(value: string): string | null {
  const text = value.trim();
  if (!text) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? text : at.toISOString();
}

export function valuesOf(integration: Integration): FormValues {
  return {
    name: integration.name,
    email: integration.email ?? '',
    callbackUrl: integration.callbackUrl ?? '',
    identityLinkUrl: integration.identityLinkUrl ?? '',
    resourceAccess: integration.resourceAccess,
    resources: integration.resources,
    expiresAt: toLocalInput(integration.expiresAt),
    ipAllowList: integration.ipAllowList.join('\n'),
    rateLimit: integration.rateLimit
      ? {
          requestsPerMinute: String(integration.rateLimit.requestsPerMinute),
          burst: String(integration.rateLimit.burst),
        }
      : { requestsPerMinute: '', burst: '' },
  };
}

export function toInput(values: FormValues): IntegrationInput {
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    name: values.name.trim(),
    email: text(values.email),
    callbackUrl: text(values.callbackUrl),
    identityLinkUrl: text(values.identityLinkUrl),
    resourceAccess: values.resourceAccess,
    resources: values.resourceAccess === 'custom' ? values.resources : [],
    expiresAt: fromLocalInput(values.expiresAt),
    ipAllowList: values.ipAllowList
      .split(/[\s,]+/)
      .map((entry) => entry.trim())
      .filter(Boolean),
    rateLimit: rateLimitOf(values.rateLimit),
  };
}

/** Both blank: null (the platform default); a blank burst is the minute's limit (no limit per second). */
function rateLimitOf({ requestsPerMinute, burst }: FormValues['rateLimit']): IntegrationInput['rateLimit'] {
  if (!requestsPerMinute.trim() && !burst.trim()) return null;
  const perMinute = Number(requestsPerMinute.trim());
  return { requestsPerMinute: perMinute, burst: burst.trim() ? Number(burst.trim()) : perMinute };
}

/** `required` is Magento's "This is a required field." in the interface locale. */
export function checkRequired(values: FormValues, password: string, required: string): FormErrors {
  const errors: FormErrors = {};
  if (!values.name.trim()) errors.name = required;
  if (!password) errors.currentPassword = required;
  return errors;
}

const KNOWN = new Set<string>(Object.keys(TAB_OF));

/**
 * The API's `details` as errors per field ("resources.3" belongs to "resources"), each worded by
 * `describe` (the interface locale's text for its code; the API's message by default).
 */
export function fieldErrors(
  details: readonly FieldError[],
  describe: (detail: FieldError, field: FormField | null) => string = (detail) => detail.message,
): { byField: FormErrors; other: string[] } {
  const byField: FormErrors = {};
  const other: string[] = [];
  for (const detail of details) {
    const field = detail.field?.split(/[.[]/)[0];
    if (field && KNOWN.has(field)) {
      const key = field as FormField;
      const text = describe(detail, key);
      byField[key] = byField[key] ? `${byField[key]} ${text}` : text;
    } else {
      other.push(describe(detail, null));
    }
  }
  return { byField, other };
}

export function firstInvalidTab(errors: FormErrors): FormTab | null {
  const fields = Object.keys(errors) as FormField[];
  if (fields.some((f) => TAB_OF[f] === 'info')) return 'info';
  if (fields.length > 0) return 'api';
  return null;
}
