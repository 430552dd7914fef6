import type { FieldError } from './types';
import { sessionToken } from '../session/session-store';

/** An error answer of the admin API (`{error: {code, message, details}}`), or a transport failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly data?: unknown,
  ) {
    super(message);
  }
}

// Magento's own text for an error it cannot explain better. What the admin reads is the catalogue's
// `common.genericError` (i18n/api-errors.ts); this English text stays on the error for logs and tests.
export const GENERIC_ERROR = 'Sorry, something went wrong. Please try again later.';

export interface ApiResponse<T> {
  status: number;
  body: T;
}

interface RequestOptions {
  body?: unknown;
  ifMatch?: number;
  /** false for login: a 401 there is a wrong password, not an ended session. */
  authenticated?: boolean;
}

type SessionEndedListener = (error: ApiError) => void;
let sessionEnded: SessionEndedListener = () => undefined;

/** The app decides what an ended session means (back to the login form, work kept). */
export function onSessionEnded(listener: SessionEndedListener): void {
  sessionEnded = listener;
}

export async function apiRequest<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const authenticated = options.authenticated ?? true;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = sessionToken();
  if (authenticated && token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check your connection and try again.');
  }

  const body = await readJson(response);
  if (response.ok) return { status: response.status, body: body as T };

  const error = toApiError(response.status, body);
  // A locked account is signed out by the server too (ADMIN.LOCKED during a password check).
  if (authenticated && (response.status === 401 || (response.status === 423 && error.code === 'ADMIN.LOCKED'))) {
    sessionEnded(error);
  }
  throw error;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (!error || typeof error.code !== 'string') return new ApiError(status, `HTTP.${status}`, GENERIC_ERROR);
  const details = Array.isArray(error.details)
    ? error.details
        .filter(
          (d): d is FieldError => typeof d === 'object' && d !== null && typeof (d as FieldError).message === 'string',
        )
        .map((d) => ({
          field: typeof d.field === 'string' ? d.field : undefined,
          code: typeof d.code === 'string' ? d.code : undefined,
          resource: typeof d.resource === 'string' ? d.resource : undefined,
          message: d.message,
        }))
    : [];
  const message = typeof error.message === 'string' && error.message ? error.message : GENERIC_ERROR;
  return new ApiError(status, error.code, message, details, error.details);
}
