import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';

/** One dependency a service needs to serve traffic (database, Kafka producer, …). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean> | boolean;
  /**
   * False for a dependency that no request waits for (Kafka: the outbox absorbs the writes and the
   * relay publishes once the broker is back). While it is down the service is `degraded`: readiness
   * says so in its body but answers 200, so that an outage of the broker does not take every
   * replica out of rotation at once. Default true: down means not ready (503).
   */
  critical?: boolean;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export type ReadinessState = 'up' | 'degraded' | 'down';

/** The readiness body: `{status, checks: {mongo: 'up', kafka: 'down'}}`, 503 only when `down`. */
export interface ReadinessReport {
  status: ReadinessState;
  checks: Record<string, 'up' | 'down'>;
}

const CHECK_TIMEOUT_MS = 2000;

/** Runs every check (each bounded, a throw counts as down) and sums them up. */
export async function readinessReport(checks: readonly ReadinessCheck[]): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ check }) => {
      try {
        return (await withTimeout(Promise.resolve(check()), CHECK_TIMEOUT_MS)) === true;
      } catch {
        return false;
      }
    }),
  );
  const down = checks.filter((_, i) => !results[i]);
  const status: ReadinessState = down.some((check) => check.critical !== false)
    ? 'down'
    : down.length
      ? 'degraded'
      : 'up';
  return { status, checks: Object.fromEntries(checks.map(({ name }, i) => [name, results[i] ? 'up' : 'down'])) };
}

@Controller('health')
export class HealthController {
  constructor(@Optional() @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[] = []) {}

  /** Liveness: the process answers. Never depends on other systems (a DB outage must not restart pods). */
  @Get('live')
  live() {
    return { status: 'up' };
  }

  /**
   * Readiness: every critical dependency answers, so traffic may be routed here (200 `up`, or 200
   * `degraded` when only a non-critical one is down). During a drain (SIGTERM) startHttpService
   * answers 503 before this runs.
   */
  @Get('ready')
  async ready(@Res() response: Response) {
    const report = await readinessReport(this.checks ?? []);
    response.status(report.status === 'down' ? 503 : 200).json(report);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  return Promise.race([promise, new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
}
