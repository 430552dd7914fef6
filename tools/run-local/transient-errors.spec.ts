import { isTransientKafkaStartError } from './launch-system';

describe('isTransientKafkaStartError', () => {
  it('recognises a broker that has not propagated a new topic yet', () => {
    expect(
      isTransientKafkaStartError([
        'config: failed to start: KafkaJSProtocolError: This server does not host this topic-partition',
        "  type: 'UNKNOWN_TOPIC_OR_PARTITION',",
      ]),
    ).toBe(true);
    expect(
      isTransientKafkaStartError([
        '{"error":"There is no leader for this topic-partition as we are in the middle of a leadership election"}',
      ]),
    ).toBe(true);
  });

  it('does not excuse a real failure', () => {
    expect(
      isTransientKafkaStartError(['registry: invalid configuration:', '  - REGISTRY_DB: must be a database name']),
    ).toBe(false);
    expect(isTransientKafkaStartError(['oauth failed to start: connect ECONNREFUSED 127.0.0.1:9092'])).toBe(false);
  });

  it('only looks at the end of the output, where the fatal error is', () => {
    const old = [
      '{"msg":"retrying: UNKNOWN_TOPIC_OR_PARTITION"}',
      ...Array.from({ length: 20 }, (_, i) => `line ${i}`),
      'fatal: bad config',
    ];
    expect(isTransientKafkaStartError(old)).toBe(false);
  });
});
