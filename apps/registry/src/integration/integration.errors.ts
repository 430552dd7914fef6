import { ConcurrencyConflictError } from '@integrations/event-store';
import {
  badRequest,
  conflict,
  DomainError,
  type ErrorDetail,
  type Logger,
  notFound,
  toHttpError,
} from '@integrations/service-kit';
import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import { AccessUnavailableError } from './acl-access.client';
import { IntegrationRejected, type RejectionCode } from './integration.decider';
import { NameTakenError } from './name-reservations';

/** HTTP status of each decider rejection. */
const REJECTION_STATUS: Record<RejectionCode, number> = {
  'INTEGRATION.NOT_FOUND': 404,
  'INTEGRATION.ALREADY_EXISTS': 409,
  'INTEGRATION.CONFIG_MANAGED': 409,
  'INTEGRATION.NOT_CONFIG_MANAGED': 409,
  'INTEGRATION.ALREADY_ACTIVE': 409,
  'INTEGRATION.NOT_ACTIVE': 409,
  'INTEGRATION.NO_ACTIVATION_PENDING': 409,
  'INTEGRATION.ACTIVATION_MODE_CHANGED': 409,
  'INTEGRATION.EXPIRES_AT_PAST': 400,
};

export const integrationNotFound = () => notFound('INTEGRATION.NOT_FOUND', 'This integration no longer exists.');

export const integrationConflict = () =>
  conflict(
    'INTEGRATION.CONFLICT',
    'The integration was changed by someone else since you loaded it. Reload it and apply your change again.',
  );

export const accessUnavailable = () =>
  new DomainError(
    'ACCESS.UNAVAILABLE',
    'Nothing was changed: this change takes access away from the integration, and the access service (acl) ' +
      'could not confirm it in time, so it would not have been in force at once. Try again in a moment; if it ' +
      'keeps failing, check that the acl service is running and that the registry reaches it (ACL_URL).',
    503,
  );

/** The domain's errors a command may throw. */
const DOMAIN_ERRORS = [IntegrationRejected, NameTakenError, ConcurrencyConflictError, AccessUnavailableError];

/**
 * The one place where the domain's refusals become HTTP errors with stable codes (and, for the
 * manifest, DomainErrors with the same codes). Anything else is returned as is (a 500 later).
 */
export function toDomainError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof IntegrationRejected)
    return new DomainError(
      error.code,
      error.message,
      REJECTION_STATUS[error.code],
      error.field ? [{ field: error.field, code: error.code, message: error.message }] : undefined,
    );
  if (error instanceof NameTakenError)
    return conflict('INTEGRATION.NAME_TAKEN', error.message, [{ field: 'name', message: error.message }]);
  if (error instanceof ConcurrencyConflictError) return integrationConflict();
  if (error instanceof AccessUnavailableError) return accessUnavailable();
  return error;
}

/** Answers the domain's errors as `{error: {code, message, details?}}`; the rest is service-kit's. */
@Catch(...DOMAIN_ERRORS)
export class IntegrationErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: Error, host: ArgumentsHost): void {
    const { status, body } = toHttpError(toDomainError(exception));
    if (exception instanceof AccessUnavailableError)
      this.logger.warn({ reason: exception.message }, 'command refused: the acl did not confirm the access change');
    const response = host.switchToHttp().getResponse<Response>();
    if (!response.headersSent) response.status(status).json(body);
  }
}

export function unknownResources(ids: string[]): DomainError {
  return badRequest(
    'INTEGRATION.UNKNOWN_RESOURCES',
    `These ACL resources do not exist: ${ids.join(', ')}. Choose resources from the ACL resource tree.`,
    ids.map((id) => ({
      field: 'resources',
      code: 'INTEGRATION.UNKNOWN_RESOURCE',
      message: `Unknown ACL resource "${id}".`,
      resource: id,
    })),
  );
}

/**
 * zod issues -> `{field, code, message}` details and one summary message. `code` is the rule's own
 * stable code when it has one (integration-fields.ts), else a generic one.
 */
export function invalidRequest(error: z.ZodError, input: unknown): DomainError {
  const details: ErrorDetail[] = error.issues.map((issue) => {
    const field = issue.path.join('.');
    const own = (issue as { params?: { code?: unknown } }).params?.code;
    if (typeof own === 'string') return { field, code: own, message: issue.message };
    if (issue.code === 'unrecognized_keys') {
      return {
        field: field || undefined,
        code: 'REQUEST.UNKNOWN_FIELD',
        message: `Unknown field(s): ${issue.keys.join(', ')}. Remove them and try again.`,
      };
    }
    if (isMissing(input, issue.path)) return { field, code: 'REQUEST.FIELD_REQUIRED', message: issue.message };
    return { field, code: 'REQUEST.INVALID_VALUE', message: issue.message };
  });
  const summary = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
  return badRequest('REQUEST.INVALID', `The request is invalid: ${summary}`, details);
}

function isMissing(input: unknown, path: PropertyKey[]): boolean {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return true;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value === undefined;
}

/** Validates input with a strict schema; throws a 400 REQUEST.INVALID with field details. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw invalidRequest(result.error, input);
  return result.data;
}
