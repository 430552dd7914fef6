import type { IntlShape } from 'react-intl';
import { ApiError } from '../api/api-client';
import type { AdminRole, FieldError } from '../api/types';
import { ROLE_LABELS } from '../session/admin-profile';
import type { MessageId } from './catalogue';
import type { TextValues } from './use-i18n';

/**
 * The API's errors in the interface locale, by their stable `error.code` (`error.<CODE>` in the
 * catalogue) and, for field details, by the rule's code (`fieldError.<CODE>`). A code the catalogue
 * does not know, or a message that needs a value this page cannot supply, falls back to the API's
 * own message: better English than nothing.
 */
export interface ErrorValues {
  /** The integration the request was about (messages that name it). */
  name?: string;
}

export function errorText(intl: IntlShape, error: unknown, values: ErrorValues = {}): string {
  const generic = intl.formatMessage({ id: 'common.genericError' });
  if (!(error instanceof ApiError)) return generic;
  // A 429 (REQUEST.RATE_LIMITED) says how long to wait in `details.retryAfterSeconds`.
  const retryAfter = (error.data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  const seconds = typeof retryAfter === 'number' ? retryAfter : undefined;
  // A 403 ADMIN.FORBIDDEN names the admin's role in `details.role`: said in the interface locale.
  const role = (error.data as { role?: unknown } | undefined)?.role;
  const roleLabel = typeof role === 'string' && role in ROLE_LABELS ? ROLE_LABELS[role as AdminRole] : undefined;
  const localized = fromCatalogue(intl, `error.${error.code}`, {
    ...values,
    seconds,
    role: roleLabel ? intl.formatMessage({ id: roleLabel }) : undefined,
  });
  if (localized !== null) return localized;
  // Transport failures and answers without an error body carry our generic text already.
  if (error.code.startsWith('HTTP.')) return generic;
  return error.message;
}

export interface FieldErrorValues {
  /** The field's label in the interface locale, for messages that name it. */
  field?: string;
  /** The field's maximum length, for the *_TOO_LONG rules. */
  max?: number;
  /** The integration name typed in the form (INTEGRATION.NAME_TAKEN). */
  name?: string;
  /** The IP allow-list entry refused (INTEGRATION.IP_RANGE_INVALID). */
  entry?: string;
}

/** One field detail; details without a code of their own take the error's code (ADMIN.PASSWORD_MISMATCH). */
export function fieldErrorText(
  intl: IntlShape,
  detail: FieldError,
  errorCode: string,
  values: FieldErrorValues,
): string {
  const code = detail.code ?? errorCode;
  return fromCatalogue(intl, `fieldError.${code}`, { ...values, resource: detail.resource }) ?? detail.message;
}

function fromCatalogue(intl: IntlShape, id: string, values: TextValues): string | null {
  const message = intl.messages[id];
  if (typeof message !== 'string') return null;
  // Every argument the message names must be known here, or the sentence would have a hole.
  const needed = [...message.matchAll(/\{(\w+)/g)].map((match) => match[1]);
  if (needed.some((name) => values[name] === undefined || values[name] === '')) return null;
  return intl.formatMessage({ id: id as MessageId }, values);
}
