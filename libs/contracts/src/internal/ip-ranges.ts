import { z } from 'zod';

// zod's checks rather than node:net: the contracts stay usable in a browser (settings.catalog.ts).
const IPV4 = z.ipv4();
const IPV6 = z.ipv6();
const isIPv4 = (text: string) => IPV4.safeParse(text).success;
const isIPv6 = (text: string) => IPV6.safeParse(text).success;

/**
 * IP address ranges in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`), as an integration's IP
 * allow-list holds them: checked where an admin or a manifest sets them, matched by the acl, met
 * (intersected) when an access hold restricts a snapshot (access.contract.ts). Ranges are parsed
 * into a family and a bigint, so containment is exact for both families; no library needed.
 *
 * An IPv4-mapped IPv6 address (`::ffff:203.0.113.9`, what a dual-stack socket reports for an IPv4
 * client) is matched as the IPv4 address it carries.
 */
export interface IpRange {
  family: 4 | 6;
  /** The network address as a number (host bits zero). */
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Why an allow-list entry is refused, or null. The message quotes the entry and says what to write. */
export function ipRangeProblem(entry: string): string | null {
  const parsed = parse(entry);
  if (typeof parsed === 'string') return parsed;
  return null;
}

/**
 * The canonical form of a valid entry: a bare address becomes a /32 or /128, IPv6 is compressed
 * and lower-cased (`2001:DB8:0::/32` -> `2001:db8::/32`). Throws on an invalid entry.
 */
export function normalizeIpRange(entry: string): string {
  const parsed = parse(entry);
  if (typeof parsed === 'string') throw new Error(parsed);
  return formatRange(parsed);
}

export function parseIpRange(entry: string): IpRange {
  const parsed = parse(entry);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** Whether `address` (a plain IPv4 or IPv6 address) lies in one of the ranges. */
export function addressInRanges(address: string, ranges: readonly string[]): boolean {
  const at = parseAddress(address);
  if (!at) return false;
  return ranges.some((entry) => {
    const range = safeRange(entry);
    return range !== null && contains(range, { family: at.family, network: at.value, prefix: BITS[at.family] });
  });
}

/**
 * The addresses both lists allow, as a list: two CIDR ranges are either nested or disjoint, so the
 * intersection of two lists is the narrower range of every nested pair. Sorted and de-duplicated.
 */
export function intersectIpRanges(a: readonly string[], b: readonly string[]): string[] {
  const left = a.map(safeRange).filter((r): r is IpRange => r !== null);
  const right = b.map(safeRange).filter((r): r is IpRange => r !== null);
  const out = new Set<string>();
  for (const x of left)
    for (const y of right) {
      if (contains(x, y)) out.add(formatRange(y));
      else if (contains(y, x)) out.add(formatRange(x));
    }
  return [...out].sort();
}

/** Whether every address `inner` allows is allowed by `outer` (each inner range inside one outer range). */
export function ipRangesCover(outer: readonly string[], inner: readonly string[]): boolean {
  const ranges = outer.map(safeRange).filter((r): r is IpRange => r !== null);
  return inner.every((entry) => {
    const range = safeRange(entry);
    return range !== null && ranges.some((candidate) => contains(candidate, range));
  });
}

function contains(outer: IpRange, inner: IpRange): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const shift = BigInt(BITS[outer.family] - outer.prefix);
  return inner.network >> shift === outer.network >> shift;
}

function safeRange(entry: string): IpRange | null {
  const parsed = parse(entry);
  return typeof parsed === 'string' ? null : parsed;
}

function parse(entry: string): IpRange | string {
  if (typeof entry !== 'string' || entry.trim() === '') return 'An entry is empty; write an address or a CIDR range.';
  const text = entry.trim();
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  const address = parseAddress(addressText);
  if (!address)
    return `"${text}" is not an IPv4 or IPv6 address or CIDR range; write it like 203.0.113.0/24 or 2001:db8::/32.`;
  const bits: number = BITS[address.family];
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits)
      return `"${text}" has an invalid prefix length; an IPv${address.family} prefix is 0 to ${bits}.`;
    prefix = Number(prefixText);
  }
  const hostBits = BigInt(bits - prefix);
  const network = (address.value >> hostBits) << hostBits;
  if (network !== address.value) {
    const meant = formatRange({ family: address.family, network, prefix });
    return `"${text}" has bits set after its /${prefix} prefix; the range is written ${meant}.`;
  }
  return { family: address.family, network, prefix };
}

function parseAddress(text: string): { family: 4 | 6; value: bigint } | null {
  if (isIPv4(text)) return { family: 4, value: ipv4Value(text) };
  if (!isIPv6(text) || text.includes('%')) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) return { family: 4, value: ipv4Value(mapped[1]) };
  return { family: 6, value: ipv6Value(text) };
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6Value(text: string): bigint {
  // An embedded IPv4 tail (`64:ff9b::192.0.2.1`) counts as two groups.
  let body = text;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = ipv4Value(tail[1]);
    body = `${text.slice(0, -tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = body.split('::');
  const left = head ? head.split(':') : [];
  const right = rest === undefined ? [] : rest ? rest.split(':') : [];
  const groups =
    rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function formatRange(range: IpRange): string {
  return `${range.family === 4 ? formatIpv4(range.network) : formatIpv6(range.network)}/${range.prefix}`;
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952: lower case, no leading zeros, the longest run of zero groups (two or more) as `::`. */
function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}
