import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@integrations/service-kit';
import { loadSecretBox, parseKeyList } from './encryption-keys';
import { SecretBox, SecretUnreadableError } from './secret-box';

const key = () => randomBytes(32);
const silent = { warn: jest.fn(), info: jest.fn() };

describe('SecretBox', () => {
  const k1 = key();
  const k2 = key();

  it('seals to text that neither contains nor reveals the secret, and opens it again', () => {
    const box = new SecretBox(new Map([['k1', k1]]), 'k1');
    const secret = 'abcdefghij0123456789abcdefghij01';
    const sealed = box.seal(secret, 'consumer:x:secret');
    expect(sealed).toMatch(/^gcm1:k1:/);
    expect(sealed).not.toContain(secret);
    expect(box.seal(secret, 'consumer:x:secret')).not.toBe(sealed); // fresh IV each time
    expect(box.open(sealed, 'consumer:x:secret')).toBe(secret);
  });

  it('refuses a sealed value moved to another record (context is authenticated)', () => {
    const box = new SecretBox(new Map([['k1', k1]]), 'k1');
    const sealed = box.seal('s', 'token:aaa:secret');
    expect(() => box.open(sealed, 'token:bbb:secret')).toThrow(SecretUnreadableError);
  });

  it('refuses a tampered ciphertext', () => {
    const box = new SecretBox(new Map([['k1', k1]]), 'k1');
    const parts = box.seal('some secret value', 'c').split(':');
    const ciphertext = Buffer.from(parts[3], 'base64url');
    ciphertext[0] ^= 1;
    parts[3] = ciphertext.toString('base64url');
    expect(() => box.open(parts.join(':'), 'c')).toThrow(SecretUnreadableError);
  });

  it('rotates: values sealed with the old key still open once a new key is active', () => {
    const before = new SecretBox(new Map([['k1', k1]]), 'k1');
    const old = before.seal('old secret', 'c');
    const after = new SecretBox(
      new Map([
        ['k1', k1],
        ['k2', k2],
      ]),
      'k2',
    );
    expect(after.open(old, 'c')).toBe('old secret');
    expect(SecretBox.keyIdOf(after.seal('new', 'c'))).toBe('k2');
    const withoutOldKey = new SecretBox(new Map([['k2', k2]]), 'k2');
    expect(() => withoutOldKey.open(old, 'c')).toThrow(/key "k1", which is not configured/);
    expect([withoutOldKey.knows('k1'), withoutOldKey.knows('k2')]).toEqual([false, true]);
    expect(after.keyIds).toEqual(['k1', 'k2']);
  });
});

describe('loadSecretBox', () => {
  it('parses OAUTH_ENCRYPTION_KEYS and uses the active key id', () => {
    const env = `a:${k()},b:${k()}`;
    const box = loadSecretBox(
      { keys: env, activeKeyId: 'b', nodeEnv: 'production', devMode: false, devKeyFile: '/nonexistent' },
      silent,
    );
    expect(box.activeKeyId).toBe('b');
    expect([...parseKeyList(env).keys()]).toEqual(['a', 'b']);
  });

  it('refuses production without keys, naming the variable, even in development mode', () => {
    expect(() => loadSecretBox({ nodeEnv: 'production', devMode: true, devKeyFile: '/nonexistent' }, silent)).toThrow(
      /OAUTH_ENCRYPTION_KEYS is required when NODE_ENV=production/,
    );
  });

  it('refuses to start without keys unless INTEGRATIONS_DEV_MODE=true, whatever NODE_ENV says, and creates no file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'oauth-keys-')), 'oauth-keys.json');
    for (const nodeEnv of ['development', 'test', 'staging', 'Production']) {
      expect(() => loadSecretBox({ nodeEnv, devMode: false, devKeyFile: file }, silent)).toThrow(
        /OAUTH_ENCRYPTION_KEYS is required .*set INTEGRATIONS_DEV_MODE=true/,
      );
    }
    expect(() => statSync(file)).toThrow(/ENOENT/);
  });

  it('refuses a key that is not 32 bytes without echoing it', () => {
    const short = Buffer.from('too short').toString('base64');
    let error: unknown;
    try {
      parseKeyList(`k:${short}`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('"k" must be the base64 of exactly 32 bytes');
    expect((error as Error).message).not.toContain(short);
  });

  it('tools that must not invent a key (createDevKeyFile: false) fail when the file is missing, and create nothing', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'oauth-keys-')), 'oauth-keys.json');
    expect(() =>
      loadSecretBox({ nodeEnv: 'development', devMode: true, devKeyFile: file, createDevKeyFile: false }, silent),
    ).toThrow(/OAUTH_ENCRYPTION_KEYS is unset and the development key file .* does not exist/);
    expect(() => statSync(file)).toThrow(/ENOENT/);
  });

  it('in development mode, generates a key file once (mode 0600) and reuses it', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'oauth-keys-')), '.local', 'oauth-keys.json');
    const logger = { warn: jest.fn(), info: jest.fn() };
    const first = loadSecretBox({ nodeEnv: 'development', devMode: true, devKeyFile: file }, logger);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = first.seal('kept across restarts', 'c');
    const second = loadSecretBox({ nodeEnv: 'test', devMode: true, devKeyFile: file }, logger);
    expect(second.open(sealed, 'c')).toBe('kept across restarts');
    const material = Object.values(JSON.parse(readFileSync(file, 'utf8')).keys as Record<string, string>)[0];
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(material);
  });
});

function k(): string {
  return key().toString('base64');
}
