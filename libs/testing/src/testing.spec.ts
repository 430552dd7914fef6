import { IntegrationCreated, IntegrationUpdated } from '@integrations/contracts';
import { anIntegrationCreated, anIntegrationUpdated, newEvent } from './event-builders';
import { MISSING_INFRA_MESSAGE, infraFromEnv, resolveTestInfra, type TestInfra } from './test-infra';
import { uniqueName } from './unique-name';
import { waitFor } from './wait-for';

describe('uniqueName', () => {
  it('gives a FerretDB-safe name of at most 38 characters, different on every call', () => {
    const names = Array.from({ length: 50 }, () => uniqueName('Event-Store integration tests!'));
    for (const name of names) {
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(name.length).toBeLessThanOrEqual(38);
      expect(name.startsWith('event_store_integration')).toBe(true);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('starts with a letter even when the prefix does not', () => {
    expect(uniqueName('2fa')).toMatch(/^t2fa_/);
  });
});

describe('waitFor', () => {
  it('returns the first truthy value of the predicate', async () => {
    let calls = 0;
    await expect(waitFor(() => (++calls >= 3 ? `after ${calls}` : null), { intervalMs: 1 })).resolves.toBe('after 3');
  });

  it('times out with the message and the last error of the predicate', async () => {
    const failing = () => {
      throw new Error('not yet');
    };
    await expect(waitFor(failing, { timeoutMs: 30, intervalMs: 5, message: () => 'the answer' })).rejects.toThrow(
      'the answer not met within 30 ms (last error: not yet)',
    );
  });
});

describe('event builders', () => {
  it('build events whose payloads satisfy the contracts', () => {
    const created = anIntegrationCreated({ name: 'ERP' });
    expect(IntegrationCreated.schema.parse(created.payload).name).toBe('ERP');
    const updated = anIntegrationUpdated(created.payload.integrationId, { email: null });
    expect(IntegrationUpdated.schema.safeParse(updated.payload).success).toBe(true);
  });

  it('give every event its own id and keep overridden metadata', () => {
    const a = newEvent('T', {}, { metadata: { eventId: 'fixed', correlationId: 'corr' } });
    const b = newEvent('T', {});
    expect(a.metadata).toMatchObject({ eventId: 'fixed', correlationId: 'corr' });
    expect(b.metadata.eventId).not.toBe(a.metadata.eventId);
  });
});

describe('resolveTestInfra', () => {
  const containers: TestInfra = { kafkaBrokers: ['h:1'], mongoUrl: 'mongodb://h:2', source: 'testcontainers' };

  it('prefers the environment and never probes for containers then', async () => {
    const probe = jest.fn(async () => true);
    const infra = await resolveTestInfra({
      env: { KAFKA_BROKERS: '10.0.0.5:9092, 10.0.0.6:9092', MONGO_URL: 'mongodb://db:27017' },
      probeContainerRuntime: probe,
      startContainers: async () => containers,
    });
    expect(infra).toEqual({
      kafkaBrokers: ['10.0.0.5:9092', '10.0.0.6:9092'],
      mongoUrl: 'mongodb://db:27017',
      source: 'env',
    });
    expect(probe).not.toHaveBeenCalled();
  });

  it('falls back to containers when a runtime answers', async () => {
    const infra = await resolveTestInfra({
      env: {},
      probeContainerRuntime: async () => true,
      startContainers: async () => containers,
    });
    expect(infra).toBe(containers);
  });

  it('says how to start the local infrastructure when there is neither', async () => {
    const start = jest.fn(async () => containers);
    await expect(
      resolveTestInfra({
        env: { MONGO_URL: 'mongodb://x' },
        probeContainerRuntime: async () => false,
        startContainers: start,
      }),
    ).rejects.toThrow(MISSING_INFRA_MESSAGE);
    expect(MISSING_INFRA_MESSAGE).toContain('bash tools/infra/infra.sh up');
    expect(MISSING_INFRA_MESSAGE).toContain('KAFKA_BROKERS=127.0.0.1:9092 MONGO_URL=mongodb://127.0.0.1:27017');
    expect(start).not.toHaveBeenCalled();
  });
});

describe('infraFromEnv kafka control', () => {
  const local = { KAFKA_BROKERS: '127.0.0.1:9092', MONGO_URL: 'mongodb://127.0.0.1:27017' };

  it('offers the local script when told to, or on CI for a loopback broker', () => {
    expect(infraFromEnv({ ...local, KAFKA_CONTROL: 'local-script' })?.kafkaControl?.kind).toBe('local-script');
    expect(
      infraFromEnv({ ...local, KAFKA_BROKERS: 'kafka:9092', KAFKA_CONTROL: 'local-script' })?.kafkaControl?.kind,
    ).toBe('local-script');
    expect(infraFromEnv({ ...local, CI: 'true' })?.kafkaControl?.kind).toBe('local-script');
  });

  it('leaves a shared developer broker, a remote one, or one it is told not to touch, alone', () => {
    expect(infraFromEnv(local)?.kafkaControl).toBeUndefined();
    expect(infraFromEnv({ ...local, CI: 'true', KAFKA_BROKERS: 'kafka:9092' })?.kafkaControl).toBeUndefined();
    expect(infraFromEnv({ ...local, CI: 'true', KAFKA_CONTROL: 'none' })?.kafkaControl).toBeUndefined();
  });
});
