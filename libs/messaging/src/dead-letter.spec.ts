import {
  DEAD_LETTER_HEADERS as H,
  deadLetterHeaders,
  defaultDeadLetterTopic,
  describeFailure,
  WITHHELD_PARSE_MESSAGE,
} from './dead-letter';
import { InvalidMessageError, type IncomingMessage } from './message-bus.port';

// Short enough that V8 quotes all of it in the JSON.parse error.
const secret = 'k9x2secret';

function jsonParseError(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error('expected JSON.parse to fail');
}

describe('defaultDeadLetterTopic', () => {
  it('appends .dlq to the topic', () => {
    expect(defaultDeadLetterTopic('integrations.integration.v1')).toBe('integrations.integration.v1.dlq');
  });
});

describe('describeFailure', () => {
  it("keeps the validator's message for InvalidMessageError", () => {
    const reason = describeFailure('parse', new InvalidMessageError('data.name: expected string'));
    expect(reason).toEqual({
      errorClass: 'InvalidMessageError',
      errorCode: 'MESSAGING.INVALID_MESSAGE',
      errorMessage: 'data.name: expected string',
    });
  });

  it('withholds the message of other parse errors, which may quote the input', () => {
    const error = jsonParseError(secret);
    // The premise: V8 quotes the input in JSON.parse errors.
    expect((error as Error).message).toContain(secret);
    const reason = describeFailure('parse', error);
    expect(reason.errorClass).toBe('SyntaxError');
    expect(reason.errorMessage).toBe(WITHHELD_PARSE_MESSAGE);
    expect(JSON.stringify(reason)).not.toContain(secret);
  });

  it("keeps a handler error's message and code", () => {
    const error = Object.assign(new Error('projection store unavailable'), { code: 'STORE.DOWN' });
    expect(describeFailure('handle', error)).toEqual({
      errorClass: 'Error',
      errorCode: 'STORE.DOWN',
      errorMessage: 'projection store unavailable',
    });
  });

  it('describes non-Error throwables and bounds long messages', () => {
    expect(describeFailure('handle', 'boom')).toEqual({ errorClass: 'string', errorMessage: 'boom' });
    const long = describeFailure('handle', new Error('x'.repeat(5_000)));
    expect(long.errorMessage.length).toBe(1_000);
  });
});

describe('deadLetterHeaders', () => {
  const message: IncomingMessage = {
    topic: 'orders.v1',
    partition: 2,
    offset: '41',
    key: 'order-1',
    value: '{}',
    headers: { correlationid: 'c-1', [H.stage]: 'stale' },
  };

  it('keeps the original headers and adds where and why the message failed', () => {
    const headers = deadLetterHeaders({
      message,
      groupId: 'acl',
      stage: 'handle',
      attempts: 5,
      reason: { errorClass: 'Error', errorCode: 'X.Y', errorMessage: 'nope' },
      failedAt: new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(headers).toEqual({
      correlationid: 'c-1',
      [H.originalTopic]: 'orders.v1',
      [H.originalPartition]: '2',
      [H.originalOffset]: '41',
      [H.consumerGroup]: 'acl',
      [H.stage]: 'handle',
      [H.attempts]: '5',
      [H.errorClass]: 'Error',
      [H.errorCode]: 'X.Y',
      [H.errorMessage]: 'nope',
      [H.failedAt]: '2026-01-02T03:04:05.000Z',
    });
  });

  it('omits the code header when the error has no code', () => {
    const headers = deadLetterHeaders({
      message,
      groupId: 'acl',
      stage: 'parse',
      attempts: 0,
      reason: { errorClass: 'SyntaxError', errorMessage: WITHHELD_PARSE_MESSAGE },
      failedAt: new Date(),
    });
    expect(headers).not.toHaveProperty(H.errorCode);
    expect(headers[H.stage]).toBe('parse');
    expect(headers[H.attempts]).toBe('0');
  });
});
