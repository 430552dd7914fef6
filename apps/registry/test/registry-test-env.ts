import { EventStore, OutboxRelay } from '@integrations/event-store';
import { infraFromEnv, MISSING_INFRA_MESSAGE } from '@integrations/testing';
import { CommandBus } from '@nestjs/cqrs';
import mongoose from 'mongoose';
import { IntegrationGridProjection } from '../src/integration/integration-grid.projection';
import { IntegrationHistoryProjection } from '../src/integration/integration-history.projection';
import { IntegrationRepository } from '../src/integration/integration.repository';
import type { RunningRegistry } from '../src/start';

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

/** The parts of a running registry that tests look into (through Nest, as the handlers get them). */
export function partsOf(registry: RunningRegistry) {
  const { app } = registry;
  return {
    store: app.get(EventStore),
    repository: app.get(IntegrationRepository),
    relay: app.get(OutboxRelay),
    grid: app.get(IntegrationGridProjection),
    history: app.get(IntegrationHistoryProjection),
    commandBus: app.get(CommandBus),
  };
}

/** Drops a test database (its own connection: the registry's may be closed already). */
export async function dropDatabase(mongoUrl: string, dbName: string): Promise<void> {
  const connection = await mongoose.createConnection(mongoUrl, { dbName }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

// Replies are JSON of many shapes; each test asserts the fields it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  body: Json;
  headers: Headers;
}

/** The registry's HTTP API as the gateway calls it (`x-actor` as given, JSON bodies). */
export function registryClient(baseUrl: () => string, actor = 'alice') {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { 'x-actor': actor, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
}
