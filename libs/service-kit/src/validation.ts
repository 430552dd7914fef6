import type { z } from 'zod';
import { badRequest, type ErrorDetail } from './errors';

/** zod issues -> our error details (`field` is the dotted path). */
export function toErrorDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => {
    const field = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return {
        field: field || undefined,
        message: `Unknown field(s): ${issue.keys.join(', ')}. Remove them and try again.`,
      };
    }
    return { field: field || undefined, message: issue.message };
  });
}

/**
 * Validates a request body (or query) at the edge. Schemas should be `.strict()` so unknown fields
 * are rejected rather than silently dropped.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code = 'REQUEST.INVALID'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = toErrorDetails(result.error);
  const summary = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
  throw badRequest(code, `The request is invalid: ${summary}`, details);
}
