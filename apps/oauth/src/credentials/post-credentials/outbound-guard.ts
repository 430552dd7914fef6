import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { splitHostList } from '@integrations/contracts';

/** Why an outbound address is not reachable without an allow-list entry. */
export type RestrictedKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade NAT'
  | 'link-local (cloud metadata)'
  | 'link-local'
  | 'site-local'
  | 'unique-local'
  | 'multicast'
  | 'documentation'
  | 'IPv4 embedded in IPv6 (translation or tunnel)'
  | 'reserved';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type OutboundDecision =
  | { ok: true; address: ResolvedAddress }
  | { ok: false; reason: 'unresolvable'; host: string }
  | { ok: false; reason: 'restricted'; host: string; address: string; kind: RestrictedKind };

export type Resolve = (host: string) => Promise<ResolvedAddress[]>;

/**
 * Only global unicast is reachable. IPv4: every range of the IANA IPv4 Special-Purpose Address
 * Registry that is not globally reachable, plus multicast and 240/4. IPv6: nothing outside 2000::/3
 * (which leaves out ::/96 IPv4-compatible, ::ffff:0:0/96 mapped, 64:ff9b::/96 and 64:ff9b:1::/48
 * NAT64, 100::/64, fc00::/7, fe80::/10, fec0::/10, ff00::/8), and inside it the ranges that embed
 * or translate IPv4 (2002::/16 6to4, 2001::/32 Teredo, within 2001::/23) or are documentation.
 * An address that embeds an IPv4 address is refused, not judged by that address: an allow-list or
 * a check that reads it as IPv4 would have to agree with every stack it may be routed through.
 * Order matters: the first matching row names the kind.
 */
const RESTRICTED_V4: ReadonlyArray<readonly [string, number, RestrictedKind]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'IPv4 embedded in IPv6 (translation or tunnel)'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const RESTRICTED_V6: ReadonlyArray<readonly [string, number, RestrictedKind]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'IPv4 embedded in IPv6 (translation or tunnel)'],
  ['::ffff:0:0', 96, 'IPv4 embedded in IPv6 (translation or tunnel)'],
  ['::ffff:0:0:0', 96, 'IPv4 embedded in IPv6 (translation or tunnel)'],
  ['64:ff9b::', 96, 'IPv4 embedded in IPv6 (translation or tunnel)'],
  ['64:ff9b:1::', 48, 'IPv4 embedded in IPv6 (translation or tunnel)'],
  ['2001::', 32, 'IPv4 embedded in IPv6 (translation or tunnel)'],
  ['2002::', 16, 'IPv4 embedded in IPv6 (translation or tunnel)'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['2001::', 23, 'reserved'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const EMBEDDED: RestrictedKind = 'IPv4 embedded in IPv6 (translation or tunnel)';

const GLOBAL_UNICAST_V6 = new BlockList();
GLOBAL_UNICAST_V6.addSubnet('2000::', 3, 'ipv6');

const compiled = (rows: ReadonlyArray<readonly [string, number, RestrictedKind]>, type: 'ipv4' | 'ipv6') =>
  rows.map(([network, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return { list, kind };
  });
const V4 = compiled(RESTRICTED_V4, 'ipv4');
const V6 = compiled(RESTRICTED_V6, 'ipv6');

/**
 * The SSRF guard of the credentials POST. The callback URL is an admin-entered value, and the POST
 * leaves from inside the cluster: without this, `http://169.254.169.254/…` or `http://10.0.0.5:…`
 * would let an integration probe internal services. Every address the host resolves to is checked;
 * the caller then connects to the returned address itself (no second DNS answer can swap in another).
 *
 * `allowList` (setting `oauth/consumer/outbound_allowlist`) lifts the restriction for the addresses
 * and CIDR ranges it names (local runs and tests list 127.0.0.1), never for an IPv6 form embedding
 * IPv4 (`::ffff:127.0.0.1` stays refused when 127.0.0.1 is listed: list what you mean). A host name in it lifts nothing:
 * names are resolved and their addresses checked like any other, because whoever controls the name's
 * DNS could otherwise point an allowed name at the metadata address.
 */
export async function checkOutboundHost(
  host: string,
  allowList: string,
  resolve: Resolve = resolveAll,
): Promise<OutboundDecision> {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = compileAllowList(allowList);
  let addresses: ResolvedAddress[];
  try {
    addresses = isIP(name) ? [{ address: name, family: isIP(name) as 4 | 6 }] : await resolve(name);
  } catch {
    return { ok: false, reason: 'unresolvable', host: name };
  }
  if (addresses.length === 0) return { ok: false, reason: 'unresolvable', host: name };

  let refused: { address: string; kind: RestrictedKind } | undefined;
  for (const candidate of addresses) {
    const kind = restrictedKind(candidate.address);
    // The allow-list opens addresses as written: an embedding of an allowed IPv4 address stays shut.
    const liftable = kind !== undefined && kind !== EMBEDDED;
    if (kind === undefined || (liftable && isAllowed(allowed, candidate.address)))
      return { ok: true, address: candidate };
    refused ??= { address: candidate.address, kind };
  }
  return { ok: false, reason: 'restricted', host: name, ...refused! };
}

/** The restricted range an address falls in, or undefined for a global unicast address. */
export function restrictedKind(address: string): RestrictedKind | undefined {
  const family = isIP(address);
  if (family === 4) return V4.find(({ list }) => list.check(address, 'ipv4'))?.kind;
  if (family === 6) {
    const row = V6.find(({ list }) => list.check(address, 'ipv6'));
    if (row) return row.kind;
    return GLOBAL_UNICAST_V6.check(address, 'ipv6') ? undefined : 'reserved';
  }
  return 'reserved';
}

/** Only addresses and CIDR ranges count; host-name entries are ignored (see `checkOutboundHost`). */
function compileAllowList(value: string): BlockList {
  const ranges = new BlockList();
  for (const entry of splitHostList(value)) {
    const [network, prefix] = entry.split('/');
    const family = isIP(network);
    if (family === 0) continue;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) ranges.addAddress(network, type);
    else ranges.addSubnet(network, Number(prefix), type);
  }
  return ranges;
}

function isAllowed(ranges: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && ranges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

async function resolveAll(host: string): Promise<ResolvedAddress[]> {
  const results = await dnsLookup(host, { all: true, verbatim: true });
  return results.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}
