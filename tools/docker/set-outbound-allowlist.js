// One-shot (docker-compose `local-settings`): adds hosts to the OAuth credentials-POST allow-list
// through the config service, so a partner app on a private network address can receive the
// credentials. Writes only when a host is missing (every write is an event).
//   CONFIG_URL=http://config:3004 ALLOW_HOSTS=third-party-app node set-outbound-allowlist.js
'use strict';
const PATH = 'oauth/consumer/outbound_allowlist';
const configUrl = (process.env.CONFIG_URL ?? 'http://config:3004').replace(/\/+$/, '');
const wanted = (process.env.ALLOW_HOSTS ?? '')
  .split(',')
  .map((h) => h.trim())
  .filter(Boolean);

async function call(method, body) {
  const response = await fetch(`${configUrl}/config`, {
    method,
    headers: { 'content-type': 'application/json', 'x-actor': 'compose-setup' },
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new Error(
      `${method} ${configUrl}/config answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
    );
  return response.json();
}

(async () => {
  const current = String((await call('GET')).values?.[PATH] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const missing = wanted.filter((host) => !current.includes(host));
  if (missing.length === 0) return console.log(`${PATH} already allows ${wanted.join(', ')}`);
  await call('PUT', { values: { [PATH]: [...current, ...missing].join(',') } });
  console.log(`${PATH} now allows ${[...current, ...missing].join(', ')}`);
})().catch((error) => {
  console.error(`set-outbound-allowlist: ${error.message}`);
  process.exit(1);
});
