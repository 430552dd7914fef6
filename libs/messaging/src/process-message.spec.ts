import { DEAD_LETTER_HEADERS as H } from './dead-letter';
import type { LogLevel } from './logging';
import { InvalidMessageError, type IncomingMessage } from './message-bus.port';
import { processMessage, type ProcessDeps } from './process-message';

const message: IncomingMessage = {
  topic: 't',
  partition: 0,
  offset: '7',
  key: 'k',
  value: '{"n":1}',
  headers: { correlationid: 'c' },
};

function harness(overrides: Partial<ProcessDeps> = {}) {
  const deadLetters: Record<string, string>[] = [];
  const logs: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
  const controller = new AbortController();
  const deps: ProcessDeps = {
    groupId: 'g',
    maxAttempts: 5,
    backoff: { initialMs: 1, maxMs: 4, multiplier: 2 },
    signal: controller.signal,
    deadLetter: async (headers) => {
      deadLetters.push(headers);
    },
    heartbeat: async () => undefined,
    log: (level, msg, fields) => logs.push({ level, message: msg, fields }),
    ...overrides,
  };
  return { deps, deadLetters, logs, controller };
}

const parseJson = (m: IncomingMessage) => JSON.parse(m.value ?? '') as { n: number };

describe('processMessage', () => {
  it('hands the parsed payload to the handler once when it succeeds', async () => {
    const { deps, deadLetters } = harness();
    const seen: unknown[] = [];
    const outcome = await processMessage(message, { parse: parseJson, handle: async (p) => void seen.push(p) }, deps);
    expect(outcome).toEqual({ kind: 'handled', attempts: 1 });
    expect(seen).toEqual([{ n: 1 }]);
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters a message that fails to parse, without calling the handler or retrying', async () => {
    const { deps, deadLetters } = harness();
    const handle = jest.fn(async () => undefined);
    const parse = () => {
      throw new InvalidMessageError('type: unknown event type');
    };
    const outcome = await processMessage(message, { parse, handle }, deps);
    expect(outcome).toMatchObject({ kind: 'dead-lettered', stage: 'parse', attempts: 0 });
    expect(handle).not.toHaveBeenCalled();
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      correlationid: 'c',
      [H.stage]: 'parse',
      [H.errorClass]: 'InvalidMessageError',
      [H.errorMessage]: 'type: unknown event type',
      [H.originalOffset]: '7',
    });
  });

  it('retries a failing handler and stops at the first success', async () => {
    const { deps, deadLetters } = harness();
    let calls = 0;
    const outcome = await processMessage(
      message,
      {
        parse: parseJson,
        handle: async () => {
          calls += 1;
          if (calls <= 2) throw new Error(`transient ${calls}`);
        },
      },
      deps,
    );
    expect(outcome).toEqual({ kind: 'handled', attempts: 3 });
    expect(calls).toBe(3);
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters after maxAttempts failures with the last error as the reason', async () => {
    const heartbeat = jest.fn(async () => undefined);
    const { deps, deadLetters } = harness({ maxAttempts: 3, heartbeat });
    let calls = 0;
    const outcome = await processMessage(
      message,
      {
        parse: parseJson,
        handle: async () => {
          calls += 1;
          throw new Error(`failure ${calls}`);
        },
      },
      deps,
    );
    expect(outcome).toMatchObject({ kind: 'dead-lettered', stage: 'handle', attempts: 3 });
    expect(calls).toBe(3);
    // One heartbeat per backoff, so a long retry does not cost the group membership.
    expect(heartbeat).toHaveBeenCalledTimes(2);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({ [H.stage]: 'handle', [H.attempts]: '3', [H.errorMessage]: 'failure 3' });
  });

  it('gives up (no dead letter, no commit) when the subscription closes during a backoff', async () => {
    const { deps, deadLetters, controller } = harness({
      backoff: { initialMs: 60_000, maxMs: 60_000, multiplier: 2 },
    });
    const handle = jest.fn(async () => {
      throw new Error('down');
    });
    const pending = processMessage(message, { parse: parseJson, handle }, deps);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).resolves.toEqual({ kind: 'aborted' });
    expect(handle).toHaveBeenCalledTimes(1);
    expect(deadLetters).toEqual([]);
  });

  it('keeps trying to write the dead letter rather than skip the message', async () => {
    let writes = 0;
    const { deps, logs } = harness({
      deadLetter: async () => {
        writes += 1;
        if (writes === 1) throw new Error('broker unavailable');
      },
    });
    const parse = () => {
      throw new InvalidMessageError('bad');
    };
    const outcome = await processMessage(message, { parse, handle: async () => undefined }, deps);
    expect(outcome.kind).toBe('dead-lettered');
    expect(writes).toBe(2);
    expect(logs.some((l) => l.level === 'error' && l.message.includes('dead-letter topic'))).toBe(true);
  });

  it('never logs the message value', async () => {
    const secretMessage = { ...message, value: '{"consumerSecret":"abcdefabcdefabcdefabcdefabcdef12" !' };
    const { deps, logs, deadLetters } = harness();
    await processMessage(secretMessage, { parse: parseJson, handle: async () => undefined }, deps);
    expect(JSON.stringify(logs)).not.toContain('abcdefabcdef');
    expect(JSON.stringify(deadLetters)).not.toContain('abcdefabcdef');
  });
});
