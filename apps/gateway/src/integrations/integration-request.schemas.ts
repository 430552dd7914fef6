import {
  CreateIntegrationRequestSchema,
  IntegrationUuidSchema,
  UpdateIntegrationRequestSchema,
} from '@integrations/contracts';
import { DomainError, badRequest } from '@integrations/service-kit';
import { z } from 'zod';

/**
 * What the gateway checks at its edge before calling the registry: ids, and that a change body is
 * a JSON object with the admin's password. Queries and If-Match are parsed with their contracts
 * (libs/contracts), which the registry parses again; the integration's own rules (name, URLs,
 * resources, unknown fields) are checked by the registry alone, which owns the aggregate, and its
 * 400s are passed through: one answer for the same mistake.
 */
export function integrationIdFrom(raw: string): string {
  if (!IntegrationUuidSchema.safeParse(raw).success) {
    throw badRequest(
      'REQUEST.INVALID',
      'The id in the path is not an integration id: ids are UUIDs, as returned when the integration was created.',
      [{ field: 'id', message: 'Must be a UUID.' }],
    );
  }
  return raw.toLowerCase();
}

/** The signed-in admin's password, asked for every change (AdminAuthService.confirmCurrentPassword checks it). */
export const CurrentPasswordSchema = z.string().min(1).meta({
  format: 'password',
  writeOnly: true,
  description: "The signed-in admin's password (a wrong one counts toward the lockout); never forwarded or stored.",
});

/** `POST /admin/v1/integrations`: the registry's create body plus `currentPassword`. */
export const AdminCreateIntegrationSchema = CreateIntegrationRequestSchema.extend({
  currentPassword: CurrentPasswordSchema,
});
/** `PUT /admin/v1/integrations/{id}`: the registry's update body plus `currentPassword`. */
export const AdminUpdateIntegrationSchema = UpdateIntegrationRequestSchema.extend({
  currentPassword: CurrentPasswordSchema,
});

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
