import { DomainError, badRequest, parseInput } from '@integrations/service-kit';
import { z } from 'zod';

/**
 * What the gateway checks at its edge before calling the registry: the shape of ids and list
 * queries, and that a change body is a JSON object. The integration's own rules (name, URLs,
 * resources, unknown fields) belong to the registry, which owns the aggregate; keeping them in one
 * place means one answer for the same mistake.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function integrationIdFrom(raw: string): string {
  if (!UUID.test(raw)) {
    throw badRequest(
      'REQUEST.INVALID',
      'The id in the path is not an integration id: ids are UUIDs, as returned when the integration was created.',
      [{ field: 'id', message: 'Must be a UUID.' }],
    );
  }
  return raw.toLowerCase();
}

export const INTEGRATION_STATUSES = ['inactive', 'active', 'reset'] as const;
export const SETUP_TYPES = ['manual', 'config'] as const;
export const INTEGRATION_SORTS = ['name', 'status', 'createdAt', 'updatedAt'].flatMap((field) => [field, `-${field}`]);
export const MAX_PAGE_SIZE = 200;

const positiveInt = (field: string, max: number) =>
  z
    .string({ error: `${field} must be given once, as a whole number` })
    .regex(/^\d{1,15}$/, `${field} must be a whole number`)
    .transform(Number)
    .refine((value) => value >= 1 && value <= max, `${field} must be between 1 and ${max}`);

const listQuery = z
  .object({
    name: z
      .string({ error: 'name must be given once, as text' })
      .max(255, 'name filter must be at most 255 characters')
      .optional(),
    status: z
      .enum(INTEGRATION_STATUSES, { error: `status must be one of: ${INTEGRATION_STATUSES.join(', ')}` })
      .optional(),
    // `setupType=config&status=reset` drives the admin notice about reset config integrations.
    setupType: z.enum(SETUP_TYPES, { error: `setupType must be one of: ${SETUP_TYPES.join(', ')}` }).optional(),
    sort: z
      .enum(INTEGRATION_SORTS as [string, ...string[]], {
        error: `sort must be one of: ${INTEGRATION_SORTS.join(', ')}`,
      })
      .optional(),
    page: positiveInt('page', 1_000_000).optional(),
    pageSize: positiveInt('pageSize', MAX_PAGE_SIZE).optional(),
  })
  .strict();

const historyQuery = z
  .object({
    page: positiveInt('page', 1_000_000).optional(),
    pageSize: positiveInt('pageSize', MAX_PAGE_SIZE).optional(),
  })
  .strict();

export function historyQueryFrom(query: unknown): { page?: number; pageSize?: number } {
  return parseInput(historyQuery, query);
}

export type ListIntegrationsQuery = z.infer<typeof listQuery>;

export function listQueryFrom(query: unknown): ListIntegrationsQuery {
  return parseInput(listQuery, query);
}

const deleteQuery = z
  .object({ expectedVersion: positiveInt('expectedVersion', Number.MAX_SAFE_INTEGER).optional() })
  .strict();

export function deleteQueryFrom(query: unknown): { expectedVersion?: number } {
  return parseInput(deleteQuery, query);
}

/**
 * Optimistic concurrency (`If-Match: "3"`, `3` or `W/"3"`) is forwarded to the registry, which
 * answers 409 INTEGRATION.CONFLICT when the integration moved on; only its shape is checked here.
 */
export function ifMatchFrom(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!/^\s*(?:\*|(?:W\/)?"?\d{1,15}"?)\s*$/.test(value)) {
    throw badRequest('REQUEST.INVALID', 'If-Match must be the integration version you last read, e.g. "3".', [
      { field: 'If-Match', message: 'Expected a positive integer version.' },
    ]);
  }
  return value.trim();
}

/** A create/update body split into the admin's password and what goes to the registry. */
export function splitChangeBody(body: unknown): { currentPassword: unknown; change: Record<string, unknown> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(
      'REQUEST.INVALID',
      'The request body must be a JSON object with the integration fields and "currentPassword".',
    );
  }
  const { currentPassword, ...change } = body as Record<string, unknown>;
  return { currentPassword, change };
}

export const unsupportedMediaType = () =>
  new DomainError(
    'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    'Send the body as JSON with the header "Content-Type: application/json".',
    415,
  );
