import { badRequest } from '@integrations/service-kit';
import { z } from 'zod';
import { CurrentPasswordSchema } from '../integrations/integration-request.schemas';

/** The body `currentPasswordFrom` takes, for the API document. */
export const PasswordConfirmationSchema = z.strictObject({ currentPassword: CurrentPasswordSchema });

/** `{currentPassword}` and nothing else: the activation has no other input (the URLs decide the mode). */
export function currentPasswordFrom(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(
      'REQUEST.INVALID',
      'The request body must be a JSON object: {"currentPassword": "<your admin password>"}.',
    );
  }
  const { currentPassword, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw badRequest('REQUEST.INVALID', `Unknown field(s): ${unknown.join(', ')}. Send only "currentPassword".`, [
      {
        field: unknown[0],
        code: 'REQUEST.UNKNOWN_FIELD',
        message: `Unknown field(s): ${unknown.join(', ')}. Remove them and try again.`,
      },
    ]);
  }
  return currentPassword;
}
