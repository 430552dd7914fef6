import { KafkaJSAggregateError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isTransientTopicError } from './ensure-topics';

const protocolError = (type: string) =>
  new KafkaJSProtocolError({ type, code: 0, retriable: true, message: type } as never);

describe('isTransientTopicError', () => {
  it('retries what a fresh broker answers about a topic it has just created', () => {
    expect(isTransientTopicError(protocolError('UNKNOWN_TOPIC_OR_PARTITION'))).toBe(true);
    expect(isTransientTopicError(protocolError('LEADER_NOT_AVAILABLE'))).toBe(true);
    // kafkajs wraps what its retrier gave up on.
    const exhausted = new KafkaJSNumberOfRetriesExceeded(protocolError('LEADER_NOT_AVAILABLE'), {
      retryCount: 5,
      retryTime: 100,
    } as never);
    expect(isTransientTopicError(exhausted)).toBe(true);
    expect(isTransientTopicError(new KafkaJSAggregateError('x', [protocolError('UNKNOWN_TOPIC_OR_PARTITION')]))).toBe(
      true,
    );
  });

  it('fails at once on anything else', () => {
    expect(isTransientTopicError(protocolError('TOPIC_AUTHORIZATION_FAILED'))).toBe(false);
    expect(isTransientTopicError(protocolError('INVALID_REPLICATION_FACTOR'))).toBe(false);
    expect(
      isTransientTopicError(
        new KafkaJSAggregateError('x', [
          protocolError('UNKNOWN_TOPIC_OR_PARTITION'),
          protocolError('POLICY_VIOLATION'),
        ]),
      ),
    ).toBe(false);
    expect(isTransientTopicError(new Error('ECONNREFUSED'))).toBe(false);
    expect(isTransientTopicError(undefined)).toBe(false);
  });
});
