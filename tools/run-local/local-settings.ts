const ALLOW_LIST = 'oauth/consumer/outbound_allowlist';
/** The example partner app listens on loopback; the credentials POST refuses loopback unless listed. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost'];

export type SettingOutcome = 'already-set' | 'updated';

/**
 * Adds the loopback hosts to the OAuth outbound allow-list through the config service, so the local
 * partner app can receive the credentials POST. Merges with what is there and writes only when
 * something is missing: every write is an event, and a restart should not add one.
 */
export async function allowLoopbackCallbacks(configUrl: string, timeoutMs = 5000): Promise<SettingOutcome> {
  const current = await request(configUrl, 'GET', undefined, timeoutMs);
  const value = String((current as { values?: Record<string, unknown> }).values?.[ALLOW_LIST] ?? '');
  const hosts = value
    .split(',')
    .map((host) => host.trim())
    .filter(Boolean);
  const missing = LOOPBACK_HOSTS.filter((host) => !hosts.includes(host));
  if (missing.length === 0) return 'already-set';
  await request(configUrl, 'PUT', { values: { [ALLOW_LIST]: [...hosts, ...missing].join(',') } }, timeoutMs);
  return 'updated';
}

async function request(configUrl: string, method: 'GET' | 'PUT', body: unknown, timeoutMs: number): Promise<unknown> {
  const response = await fetch(`${configUrl}/config`, {
    method,
    headers: { 'content-type': 'application/json', 'x-actor': 'local-launcher' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${configUrl}/config answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}
