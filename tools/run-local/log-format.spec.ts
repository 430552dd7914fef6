import { formatLine, type FormatOptions } from './log-format';
import { redactForFile } from './service-process';

const plain: FormatOptions = { color: false, nameWidth: 8, minLevel: 'trace', raw: false };

describe('formatLine', () => {
  it('renders a pino line as time, level, message and the other fields', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-01-02T03:04:05.678Z',
      service: 'registry',
      msg: 'registry listening',
      url: 'http://127.0.0.1:3001',
      correlationId: 'c-1',
    });
    expect(formatLine('registry', 36, line, plain)).toBe(
      'registry | 03:04:05.678 INFO  registry listening  url=http://127.0.0.1:3001 correlationId=c-1',
    );
  });

  it('understands numeric pino levels', () => {
    expect(formatLine('acl', 36, JSON.stringify({ level: 50, time: 0, msg: 'boom' }), plain)).toBe(
      'acl      | 00:00:00.000 ERROR boom',
    );
  });

  it('drops lines below the minimum level, and counts plain text as info', () => {
    const quiet = { ...plain, minLevel: 'warn' as const };
    expect(formatLine('acl', 36, JSON.stringify({ level: 'info', msg: 'hello' }), quiet)).toBeUndefined();
    expect(formatLine('acl', 36, 'plain text', quiet)).toBeUndefined();
    expect(formatLine('acl', 36, JSON.stringify({ level: 'warn', msg: 'careful' }), quiet)).toBe(
      'acl      | WARN  careful',
    );
  });

  it('passes non-JSON lines and raw mode through untouched', () => {
    expect(formatLine('gateway', 36, '{not json', plain)).toBe('gateway  | {not json');
    const json = JSON.stringify({ level: 'info', msg: 'x' });
    expect(formatLine('gateway', 36, json, { ...plain, raw: true })).toBe(`gateway  | ${json}`);
  });

  it('cuts long field lists', () => {
    const text = formatLine('oauth', 36, JSON.stringify({ level: 'info', msg: 'm', big: 'x'.repeat(1000) }), plain)!;
    expect(text.length).toBeLessThan(300);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('redactForFile', () => {
  it("keeps the gateway's generated password out of log files", () => {
    expect(redactForFile('    password: Abc123xyz')).toBe('    password: [redacted: see the admin credentials file]');
    expect(redactForFile('    username: admin')).toBe('    username: admin');
    expect(redactForFile('{"msg":"password policy checked"}')).toBe('{"msg":"password policy checked"}');
  });
});
