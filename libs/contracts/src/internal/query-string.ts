import { z } from 'zod';

/**
 * A whole number in a query string (`?page=2`): digits only, given once (a repeated parameter
 * arrives as a list and is refused), within [min, max]. Parses to a number; JSON Schema (output)
 * documents it as the integer it becomes.
 */
export function queryInteger(field: string, { min = 1, max }: { min?: number; max?: number } = {}) {
  const range = max === undefined ? `at least ${min}` : `between ${min} and ${max}`;
  return z
    .string({ error: `${field} must be given once, as a whole number` })
    .regex(/^\d{1,15}$/, `${field} must be a whole number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `${field} must be ${range}`)
        .max(max ?? Number.MAX_SAFE_INTEGER, `${field} must be ${range}`),
    );
}

/** A query string value: `?x=a` (a repeated parameter arrives as a list and is refused). */
export function queryText(field: string, maxLength: number) {
  return z
    .string({ error: `${field} must be given once, as text` })
    .max(maxLength, `${field} must be at most ${maxLength} characters`);
}
