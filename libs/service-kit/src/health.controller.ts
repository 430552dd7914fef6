import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';

/** One dependency a service needs to serve traffic (database, Kafka producer, …). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean> | boolean;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller('health')
export class HealthController {
  constructor(@Optional() @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[] = []) {}

  /** Liveness: the process answers. Never depends on other systems (a DB outage must not restart pods). */
  @Get('live')
  live() {
    return { status: 'up' };
  }

  /**
   * Readiness: every dependency answers, so traffic may be routed here. During a drain (SIGTERM)
   * startHttpService answers 503 before this runs.
   */
  @Get('ready')
  async ready(@Res() response: Response) {
    const results = await Promise.all(
      (this.checks ?? []).map(async ({ name, check }) => {
        try {
          return [name, (await withTimeout(Promise.resolve(check()), 2000)) ? 'up' : 'down'] as const;
        } catch {
          return [name, 'down'] as const;
        }
      }),
    );
    const ok = results.every(([, state]) => state === 'up');
    response.status(ok ? 200 : 503).json({ status: ok ? 'up' : 'down', checks: Object.fromEntries(results) });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  return Promise.race([promise, new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
}
