import { randomUUID } from 'node:crypto';
import { Topics } from '@integrations/contracts';
import { createLogger } from '@integrations/service-kit';
import { collectMessages, getTestInfra, uniqueName, waitFor, type TopicCollector } from '@integrations/testing';
import { startAcl, type RunningAcl } from '../../acl/src/start';
import { startAdminStack, type AdminStack } from './support/admin-stack';
import { ADMIN } from './support/gateway-harness';

jest.setTimeout(120_000);

/**
 * One admin request's correlation id, end to end: the gateway honours and returns it, the registry
 * stores it with the event, the relay publishes it in the CloudEvent (and as a Kafka header), and a
 * consumer in another service (acl) logs its handling of the event under the same id.
 */
describe('correlation id: gateway -> registry -> Kafka -> acl logs', () => {
  let stack: AdminStack;
  let acl: RunningAcl;
  let collector: TopicCollector;
  const aclLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const { mongoUrl, kafkaBrokers } = await getTestInfra();
    stack = await startAdminStack('gw_corr');
    const prefix = stack.registry.config.REGISTRY_TOPIC_PREFIX;
    acl = await startAcl({
      ACL_PORT: 0,
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: kafkaBrokers,
      ACL_DB: `${uniqueName('gw_corr')}_acl`,
      ACL_TOPIC_PREFIX: prefix,
      // The acl's own logger, reading its JSON lines (debug: one line per projected event).
      logger: createLogger('acl', 'debug', {
        write: (line: string) => void aclLines.push(JSON.parse(line) as Record<string, unknown>),
      }),
    });
    collector = await collectMessages({ brokers: kafkaBrokers, topic: `${prefix}${Topics.integration}` });
  });
  afterAll(async () => {
    await collector?.stop();
    await acl?.close();
    await stack?.close();
  });

  it("follows one request's x-correlation-id into its event on Kafka and the consumer's log", async () => {
    const correlationId = `corr-e2e-${randomUUID()}`;
    const created = await stack.api.request('POST', '/admin/v1/integrations', {
      token: stack.token,
      headers: { 'x-correlation-id': correlationId },
      body: { currentPassword: ADMIN.password, name: `Correlated ${correlationId}`, resourceAccess: 'all' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-correlation-id')).toBe(correlationId);
    const id = (created.body as { id: string }).id;

    const message = await waitFor(() => collector.messages.find((m) => m.key === id), {
      timeoutMs: 60_000,
      message: 'the IntegrationCreated event on Kafka',
    });
    const event = JSON.parse(message.value ?? '{}') as { type: string; subject: string; correlationid: string };
    expect(event).toMatchObject({ type: 'IntegrationCreated', subject: id, correlationid: correlationId });
    expect(message.headers.correlationid).toBe(correlationId);

    const line = await waitFor(
      () =>
        aclLines.find(
          (l) => l.correlationId === correlationId && (l as { integrationId?: string }).integrationId === id,
        ),
      { timeoutMs: 60_000, message: "the acl's log line about the event, with the request's correlation id" },
    );
    expect(line).toMatchObject({ service: 'acl', msg: 'grants projected' });
  });

  it('replaces an id that is too long or carries unsafe characters, and still follows the new one', async () => {
    const created = await stack.api.request('POST', '/admin/v1/integrations', {
      token: stack.token,
      headers: { 'x-correlation-id': `bad id\twith spaces ${'x'.repeat(120)}` },
      body: { currentPassword: ADMIN.password, name: `Uncorrelated ${randomUUID()}`, resourceAccess: 'all' },
    });
    expect(created.status).toBe(201);
    const given = created.headers.get('x-correlation-id');
    expect(given).toMatch(/^[0-9a-f-]{36}$/);
    const id = (created.body as { id: string }).id;
    const message = await waitFor(() => collector.messages.find((m) => m.key === id), { timeoutMs: 60_000 });
    expect((JSON.parse(message.value ?? '{}') as { correlationid: string }).correlationid).toBe(given);
  });
});
