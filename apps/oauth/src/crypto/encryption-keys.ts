import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@integrations/service-kit';
import { KEY_ID_PATTERN, SecretBox } from './secret-box';

export interface EncryptionKeySettings {
  /** `OAUTH_ENCRYPTION_KEYS`: `kid1:<base64 32 bytes>,kid2:...`. */
  keys?: string;
  /** `OAUTH_ENCRYPTION_ACTIVE_KEY_ID`. */
  activeKeyId?: string;
  nodeEnv: string;
  /**
   * `INTEGRATIONS_DEV_MODE=true`: a developer's machine, where a generated key kept in `devKeyFile`
   * may stand in for `keys`. Anywhere else a missing key stops the service.
   */
  devMode: boolean;
  /** Where the development key is kept when `keys` is unset in development mode. */
  devKeyFile: string;
  /**
   * Generate the development key file when it is missing (the service: default true). Tools that
   * only work on stored values (re-seal) pass false: a fresh key would open nothing.
   */
  createDevKeyFile?: boolean;
}

export interface KeyLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

interface DevKeyFile {
  activeKeyId: string;
  keys: Record<string, string>;
}

/**
 * The SecretBox of the service. Keys must be configured, unless the process is explicitly told it runs
 * on a developer's machine (INTEGRATIONS_DEV_MODE=true, never with NODE_ENV=production): then a key is
 * generated once and kept in a git-ignored file, so a developer's data stays readable across restarts.
 * Safe by default: forgetting a variable stops the service instead of sealing secrets with a key
 * nobody manages. Logs name key ids and files, never key material.
 */
export function loadSecretBox(settings: EncryptionKeySettings, logger: KeyLogger): SecretBox {
  if (settings.keys && settings.keys.trim() !== '') {
    const keys = parseKeyList(settings.keys);
    const activeKeyId = settings.activeKeyId ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
    if (!activeKeyId) {
      throw new ConfigError(
        'oauth: OAUTH_ENCRYPTION_ACTIVE_KEY_ID is required when OAUTH_ENCRYPTION_KEYS holds several keys',
      );
    }
    if (!keys.has(activeKeyId)) {
      throw new ConfigError(
        `oauth: OAUTH_ENCRYPTION_ACTIVE_KEY_ID names "${activeKeyId}", which is not in OAUTH_ENCRYPTION_KEYS`,
      );
    }
    logger.info({ keyIds: [...keys.keys()], activeKeyId }, 'Encryption keys loaded');
    return new SecretBox(keys, activeKeyId);
  }
  const format = 'kid:<base64 of 32 random bytes>, e.g. from `openssl rand -base64 32`';
  if (settings.nodeEnv === 'production') {
    throw new ConfigError(`oauth: OAUTH_ENCRYPTION_KEYS is required when NODE_ENV=production (format ${format})`);
  }
  if (!settings.devMode) {
    throw new ConfigError(
      `oauth: OAUTH_ENCRYPTION_KEYS is required (format ${format}). On a development machine only, set INTEGRATIONS_DEV_MODE=true to use a generated key kept in ${path.resolve(settings.devKeyFile)}.`,
    );
  }
  if (settings.createDevKeyFile === false && !existsSync(path.resolve(settings.devKeyFile))) {
    throw new ConfigError(
      `oauth: no encryption keys: OAUTH_ENCRYPTION_KEYS is unset and the development key file ${path.resolve(settings.devKeyFile)} does not exist (set OAUTH_DEV_KEY_FILE, or run from the directory the service runs in)`,
    );
  }
  const file = readOrCreateDevKeyFile(settings.devKeyFile, logger);
  const keys = new Map(Object.entries(file.keys).map(([id, key]) => [id, decodeKey(id, key)] as const));
  return new SecretBox(keys, file.activeKeyId);
}

/** `kid1:<base64>,kid2:<base64>` -> key id -> 32-byte key. Errors name the key id, never the key. */
export function parseKeyList(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon <= 0)
      throw new ConfigError('oauth: OAUTH_ENCRYPTION_KEYS entries must look like kid:<base64 of 32 bytes>');
    const id = entry.slice(0, colon);
    if (!KEY_ID_PATTERN.test(id))
      throw new ConfigError(`oauth: OAUTH_ENCRYPTION_KEYS key id "${id.slice(0, 40)}" must match ${KEY_ID_PATTERN}`);
    if (keys.has(id)) throw new ConfigError(`oauth: OAUTH_ENCRYPTION_KEYS names key "${id}" twice`);
    keys.set(id, decodeKey(id, entry.slice(colon + 1)));
  }
  if (keys.size === 0) throw new ConfigError('oauth: OAUTH_ENCRYPTION_KEYS holds no key');
  return keys;
}

function decodeKey(id: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== base64.trim().replace(/=+$/, '')) {
    throw new ConfigError(`oauth: encryption key "${id}" must be the base64 of exactly 32 bytes`);
  }
  return key;
}

function readOrCreateDevKeyFile(file: string, logger: KeyLogger): DevKeyFile {
  const where = path.resolve(file);
  if (existsSync(where)) return readDevKeyFile(where, logger);
  const activeKeyId = `dev${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  const content: DevKeyFile = { activeKeyId, keys: { [activeKeyId]: randomBytes(32).toString('base64') } };
  mkdirSync(path.dirname(where), { recursive: true });
  // Replicas starting together (`npm start -- --replicas 2`) must end up with one key, and none may
  // read a half-written file: the file is written whole under a name of this process's own, then
  // linked into place, which fails if another replica's file got there first (then that one is used).
  const draft = `${where}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(
      draft,
      `${JSON.stringify(content, null, 2)}
`,
      { mode: 0o600, flag: 'wx' },
    );
    chmodSync(draft, 0o600);
    linkSync(draft, where);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readDevKeyFile(where, logger);
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  logger.warn(
    { file: where, activeKeyId },
    'Generated a development encryption key (OAUTH_ENCRYPTION_KEYS is unset); keep the file private, and configure real keys in production',
  );
  return content;
}

function readDevKeyFile(where: string, logger: KeyLogger): DevKeyFile {
  const parsed = JSON.parse(readFileSync(where, 'utf8')) as DevKeyFile;
  if (typeof parsed.activeKeyId !== 'string' || typeof parsed.keys !== 'object' || !parsed.keys) {
    throw new ConfigError(
      `oauth: ${where} is not a key file ({activeKeyId, keys}); delete it to generate a new key (data sealed with it becomes unreadable)`,
    );
  }
  logger.warn(
    { file: where, activeKeyId: parsed.activeKeyId },
    'Using the development encryption key file; set OAUTH_ENCRYPTION_KEYS outside development',
  );
  return parsed;
}
