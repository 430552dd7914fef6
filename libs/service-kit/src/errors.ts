/**
 * The platform's error vocabulary. Every error that reaches a client is a DomainError (or is turned
 * into one by the exception filter) and is answered as `{error: {code, message, details?}}`.
 * Messages are written for a person and never carry a secret.
 */
export interface ErrorDetail {
  /** JSON path of the offending field, e.g. `callbackUrl` or `resources.2`. */
  field?: string;
  message: string;
  [key: string]: unknown;
}

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export const badRequest = (code: string, message: string, details?: DomainError['details']) =>
  new DomainError(code, message, 400, details);
export const notFound = (code: string, message: string) => new DomainError(code, message, 404);
export const conflict = (code: string, message: string, details?: DomainError['details']) =>
  new DomainError(code, message, 409, details);
export const forbidden = (code: string, message: string) => new DomainError(code, message, 403);
export const unauthorized = (code: string, message: string) => new DomainError(code, message, 401);

export function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string';
}
