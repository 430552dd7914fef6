import { z } from 'zod';

/** Raised at boot when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses `env` with a zod schema whose keys are environment variable names, so an error can name
 * the variable to fix. Services call this once at boot and fail fast.
 */
export function loadConfig<S extends z.ZodObject<z.ZodRawShape>>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const shown =
      typeof env[variable] === 'string' && !/SECRET|PASSWORD|KEY/i.test(variable) ? ` (got "${env[variable]}")` : '';
    return `  - ${variable}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`${service}: invalid configuration:\n${problems.join('\n')}`);
}

/** Common env parsers. */
export const envSchemas = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: () => z.string().url(),
  csv: () =>
    z
      .string()
      .min(1)
      .transform((value) =>
        value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      ),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  durationMs: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  /** KAFKA_TOPIC_REPLICATION: the replication factor of every topic (3 on a production cluster). */
  topicReplication: () => z.coerce.number().int().min(1).max(5).default(1),
};
