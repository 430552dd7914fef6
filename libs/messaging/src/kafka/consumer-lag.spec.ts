import { metricsRegistry } from '@integrations/service-kit';
import { ConsumerLagReporter, lagAfter, lagFrom } from './consumer-lag';

describe('consumer lag', () => {
  it('counts the messages after the handled offset, up to the high watermark', () => {
    expect(lagAfter('10', '4')).toBe(5);
    expect(lagAfter('10', '9')).toBe(0);
    expect(lagFrom('10', '4')).toBe(6);
    // Offsets beyond 2^53 (int64 strings) still subtract exactly.
    expect(lagAfter('9007199254740999', '9007199254740990')).toBe(8);
  });

  it('never reports a negative or garbage lag (unknown watermark, truncated partition)', () => {
    expect(lagAfter('-1', '5')).toBe(0);
    expect(lagAfter('3', '7')).toBe(0);
    expect(lagFrom('not-a-number', '1')).toBe(0);
  });

  it('reports per group and partition, and drops the partitions a rebalance took away', async () => {
    const reporter = new ConsumerLagReporter('lag-spec', 'g1');
    reporter.batchStarted('t', 0, '10', '4');
    reporter.batchStarted('t', 1, '3', '3');
    let text = await metricsRegistry.metrics();
    expect(text).toContain('kafka_consumer_lag_messages{service="lag-spec",group="g1",topic="t",partition="0"} 6');
    expect(text).toContain('kafka_consumer_lag_messages{service="lag-spec",group="g1",topic="t",partition="1"} 0');

    reporter.handled('t', 0, '10', '9');
    reporter.assigned({ t: [0] });
    text = await metricsRegistry.metrics();
    expect(text).toContain('kafka_consumer_lag_messages{service="lag-spec",group="g1",topic="t",partition="0"} 0');
    expect(text).not.toContain('partition="1"');

    reporter.clear();
    expect(await metricsRegistry.metrics()).not.toContain('service="lag-spec"');
  });
});
