import { getTestInfra, uniqueName } from '@integrations/testing';
import pino, { type Logger } from 'pino';
import { Writable } from 'node:stream';

import { loadGatewayEnv } from '../../../apps/gateway/src/gateway.env';
import type { RateLimitSettings } from '../../../apps/gateway/src/rate-limit/rate-limit.config';
import type { StartGatewayOptions } from '../../../apps/gateway/src/start';
import { startTestGateway, type TestGateway } from '../../../apps/gateway/test/support/gateway-harness';

export { ADMIN } from '../../../apps/gateway/test/support/gateway-harness';

/** The limits a deployment gets when it sets nothing: the corpus attacks those, not test values. */
export function productionRateLimits(overrides: Partial<RateLimitSettings> = {}): RateLimitSettings {
  return { ...loadGatewayEnv({ MONGO_URL: 'mongodb://unused' }).rateLimits, ...overrides };
}

/** A pino logger whose JSON lines the test can read (what the gateway decided, and why). */
export function capturedLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines: () => lines };
}

/** A gateway with its own database and the production rate limits unless told otherwise. */
export async function securityGateway(options: StartGatewayOptions = {}): Promise<TestGateway> {
  const { mongoUrl } = await getTestInfra();
  return startTestGateway(mongoUrl, {
    database: uniqueName('sec_gw'),
    rateLimits: productionRateLimits(),
    ...options,
  });
}

export const INVALID_CREDENTIALS = {
  error: {
    code: 'ADMIN.INVALID_CREDENTIALS',
    message:
      'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.',
  },
};

/** Prints a figure the report quotes ("[security] …"), next to the assertion that bounds it. */
export function report(line: string): void {
  process.stdout.write(`[security] ${line}\n`);
}
