// One-shot (docker-compose `local-settings`, the k8s examples' settings Job): lets the OAuth
// credentials POST reach partner apps on private network addresses, through the config service.
// The allow-list takes addresses and CIDR ranges only (a host name there does not lift the SSRF
// check: DNS could hand the name any address), so each host is resolved here, once, and its current
// addresses are added. Writes only when an address is missing (every write is an event).
//   CONFIG_URL=http://config:3004 ALLOW_HOSTS=third-party-app node set-outbound-allowlist.js
// A host that does not resolve yet (its container is still starting) is retried for RESOLVE_FOR_MS
// (default 60 s), then the job fails naming it.
'use strict';
const { lookup } = require('node:dns').promises;
const { isIP } = require('node:net');

const PATH = 'oauth/consumer/outbound_allowlist';
const resolveForMs = Number(process.env.RESOLVE_FOR_MS ?? 60_000);
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

/** The addresses of `host` (an address or CIDR range is kept as it is). */
async function addressesOf(host) {
  if (isIP(host) || host.includes('/')) return [host];
  const deadline = Date.now() + resolveForMs;
  for (;;) {
    try {
      return [...new Set((await lookup(host, { all: true })).map((entry) => entry.address))];
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`${host} does not resolve (${error.code ?? error.message})`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

(async () => {
  const addresses = [...new Set((await Promise.all(wanted.map(addressesOf))).flat())];
  const current = String((await call('GET')).values?.[PATH] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const missing = addresses.filter((address) => !current.includes(address));
  if (missing.length === 0) return console.log(`${PATH} already allows ${wanted.join(', ')} (${addresses.join(', ')})`);
  await call('PUT', { values: { [PATH]: [...current, ...missing].join(',') } });
  console.log(`${PATH} now allows ${[...current, ...missing].join(', ')}`);
})().catch((error) => {
  console.error(`set-outbound-allowlist: ${error.message}`);
  process.exit(1);
});
