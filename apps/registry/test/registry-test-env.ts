import { infraFromEnv, MISSING_INFRA_MESSAGE } from '@integrations/testing';

export { uniqueName } from '@integrations/testing';

/**
 * The shared test infrastructure from the environment, synchronously, for the integration tests
 * under apps/registry/src that still import it; new tests call `getTestInfra()` from
 * `@integrations/testing`.
 */
export function testInfra(): { mongoUrl: string; kafkaBrokers: string[] } {
  const infra = infraFromEnv(process.env);
  if (!infra) throw new Error(MISSING_INFRA_MESSAGE);
  return infra;
}
