import 'reflect-metadata';
import { Module } from '@nestjs/common';
import pino from 'pino';
import { startHttpService } from './bootstrap';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from './health.controller';

/** What each dependency answers in the next probe. */
const state = { database: true, broker: true, brokerThrows: false };

const checks: ReadinessCheck[] = [
  { name: 'mongo', check: () => state.database },
  {
    name: 'kafka',
    critical: false,
    check: async () => {
      if (state.brokerThrows) throw new Error('broker unreachable');
      return state.broker;
    },
  },
];

@Module({ controllers: [HealthController], providers: [{ provide: READINESS_CHECKS, useValue: checks }] })
class HealthTestModule {}

describe('readiness with a critical and a non-critical dependency', () => {
  let service: Awaited<ReturnType<typeof startHttpService>>;
  const ready = async () => {
    const response = await fetch(`${service.url}/health/ready`);
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    service = await startHttpService(HealthTestModule, {
      service: 'health-test',
      logger: pino({ level: 'silent' }),
      port: 0,
      metrics: false,
    });
  });
  afterAll(() => service.close());
  beforeEach(() => Object.assign(state, { database: true, broker: true, brokerThrows: false }));

  it('is up (200) when every dependency answers', async () => {
    expect(await ready()).toEqual({ status: 200, body: { status: 'up', checks: { mongo: 'up', kafka: 'up' } } });
  });

  it('stays in rotation (200, degraded) when only the non-critical one is down, failing or throwing', async () => {
    state.broker = false;
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'degraded', checks: { mongo: 'up', kafka: 'down' } },
    });
    state.brokerThrows = true;
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'degraded', checks: { mongo: 'up', kafka: 'down' } },
    });
  });

  it('is down (503) when a critical dependency is down, whatever the others say', async () => {
    state.database = false;
    expect(await ready()).toEqual({ status: 503, body: { status: 'down', checks: { mongo: 'down', kafka: 'up' } } });
    state.broker = false;
    expect(await ready()).toEqual({ status: 503, body: { status: 'down', checks: { mongo: 'down', kafka: 'down' } } });
  });
});
