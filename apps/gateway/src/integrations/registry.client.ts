import type { Logger } from '@integrations/service-kit';
import { InternalServiceClient } from '../settings/internal-service.client';

/**
 * The registry's internal API (integration commands, queries and history; contracts in
 * libs/contracts `integration-*.contract.ts`). Its own class so that Nest injects it by type.
 */
export class RegistryClient extends InternalServiceClient {
  constructor(baseUrl: string, timeoutMs: number, logger: Logger) {
    super('the integration registry', baseUrl, timeoutMs, logger);
  }
}
