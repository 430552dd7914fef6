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
  | 'unique-local'
  | 'multicast'
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

const RESTRICTED: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6', RestrictedKind]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'unique-local'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['100::', 64, 'ipv6', 'reserved'],
];

const restrictedByKind = new Map<RestrictedKind, BlockList>();
for (const [network, prefix, type, kind] of RESTRICTED) {
  const list = restrictedByKind.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, type);
  restrictedByKind.set(kind, list);
}

/**
 * The SSRF guard of the credentials POST. The callback URL is an admin-entered value, and the POST
 * leaves from inside the cluster: without this, `http://169.254.169.254/…` or `http://10.0.0.5:…`
 * would let an integration probe internal services. Every address the host resolves to is checked;
 * the caller then connects to the returned address itself (no second DNS answer can swap in another).
 *
 * `allowList` (setting `oauth/consumer/outbound_allowlist`) lifts the restriction for host names,
 * addresses or CIDR ranges it names; local runs and tests use it for 127.0.0.1.
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
  if (allowed.hosts.has(name)) return { ok: true, address: addresses[0] };

  let refused: { address: string; kind: RestrictedKind } | undefined;
  for (const candidate of addresses) {
    const kind = restrictedKind(candidate.address);
    if (kind === undefined || isAllowed(allowed.ranges, candidate.address)) return { ok: true, address: candidate };
    refused ??= { address: candidate.address, kind };
  }
  return { ok: false, reason: 'restricted', host: name, ...refused! };
}

/** The restricted range an address falls in, or undefined for a public address. */
export function restrictedKind(address: string): RestrictedKind | undefined {
  const family = isIP(address);
  if (family === 0) return 'reserved';
  // IPv4 reached through IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) is judged as IPv4.
  const embedded = family === 6 ? embeddedIpv4(address) : undefined;
  if (embedded) return restrictedKind(embedded);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of restrictedByKind) if (list.check(address, type)) return kind;
  return undefined;
}

function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const prefix = ['::ffff:', '64:ff9b::'].find((p) => lower.startsWith(p));
  if (!prefix) return undefined;
  const rest = lower.slice(prefix.length);
  if (isIP(rest) === 4) return rest;
  // Hex form, e.g. ::ffff:7f00:1
  const match = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
  if (!match) return undefined;
  const high = parseInt(match[1], 16);
  const low = parseInt(match[2], 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

interface CompiledAllowList {
  hosts: Set<string>;
  ranges: BlockList;
}

function compileAllowList(value: string): CompiledAllowList {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const entry of splitHostList(value)) {
    const [network, prefix] = entry.split('/');
    const family = isIP(network);
    if (family === 0) {
      hosts.add(entry);
    } else if (prefix === undefined) {
      ranges.addAddress(network, family === 4 ? 'ipv4' : 'ipv6');
    } else {
      ranges.addSubnet(network, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    }
  }
  return { hosts, ranges };
}

function isAllowed(ranges: BlockList, address: string): boolean {
  const family = isIP(address);
  if (ranges.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
  const embedded = family === 6 ? embeddedIpv4(address) : undefined;
  return embedded !== undefined && ranges.check(embedded, 'ipv4');
}

async function resolveAll(host: string): Promise<ResolvedAddress[]> {
  const results = await dnsLookup(host, { all: true, verbatim: true });
  return results.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}
