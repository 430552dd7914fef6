import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import pino from 'pino';
import { type RunningService, startHttpService } from './bootstrap';
import { metricsRegistry, recordConsumerLag, recordRelayBacklog, recordVerification } from './metrics';

@Controller('items')
class ItemsController {
  @Get(':id')
  get(@Param('id') id: string) {
    return { id };
  }
}

@Module({ controllers: [ItemsController] })
class ItemsModule {}

const logger = pino({ level: 'silent' });

describe('metrics', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startHttpService(ItemsModule, { service: 'metrics-test', logger, port: 0 });
  });
  afterAll(() => service?.close());

  const scrape = async (url = service.url) => {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('counts requests by route pattern and status, never by raw path', async () => {
    await fetch(`${service.url}/items/1`);
    await fetch(`${service.url}/items/2`);
    await fetch(`${service.url}/no/such/path-${Date.now()}`);
    const text = await scrape();
    expect(text).toContain(
      'http_server_request_duration_seconds_count{service="metrics-test",method="GET",route="/items/:id",status="200"} 2',
    );
    expect(text).toContain(
      'http_server_request_duration_seconds_count{service="metrics-test",method="GET",route="unmatched",status="404"} 1',
    );
    expect(text).not.toMatch(/route="\/no\/such/);
  });

  it('exposes process metrics, including resident memory', async () => {
    expect(await scrape()).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('exposes what consumers, relays and verifiers record', async () => {
    recordConsumerLag('metrics-test', { group: 'acl', topic: 'integrations.integration.v1', partition: 2 }, 7);
    recordRelayBacklog('metrics-test', 'integration', 3, 5);
    recordVerification('metrics-test', 'api-call', 'rejected', 'signature_invalid');
    recordVerification('metrics-test', 'api-call', 'rejected', 'signature_invalid');
    const text = await scrape();
    expect(text).toContain(
      'kafka_consumer_lag_messages{service="metrics-test",group="acl",topic="integrations.integration.v1",partition="2"} 7',
    );
    expect(text).toContain('event_relay_backlog_events{service="metrics-test",relay="integration"} 3');
    expect(text).toContain('event_relay_published_events_total{service="metrics-test",relay="integration"} 5');
    expect(text).toContain(
      'oauth_verification_outcomes_total{service="metrics-test",kind="api-call",outcome="rejected",problem="signature_invalid"} 2',
    );
  });

  it('lets two services share a process without clashing registrations', async () => {
    const second = await startHttpService(ItemsModule, { service: 'metrics-test-2', logger, port: 0 });
    try {
      await fetch(`${second.url}/items/9`);
      const text = await scrape(second.url);
      expect(text).toContain('route="/items/:id",status="200"} 1');
      expect(text).toContain('service="metrics-test-2"');
    } finally {
      await second.close();
    }
  });

  it('serves no /metrics when a service turns metrics off', async () => {
    const quiet = await startHttpService(ItemsModule, { service: 'no-metrics', logger, port: 0, metrics: false });
    try {
      expect((await fetch(`${quiet.url}/metrics`)).status).toBe(404);
    } finally {
      await quiet.close();
    }
  });

  afterAll(() => metricsRegistry.resetMetrics());
});
