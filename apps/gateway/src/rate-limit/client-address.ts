import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import proxyAddr from 'proxy-addr';

export type ClientAddressOf = (req: IncomingMessage) => string;

/**
 * The client's address as the rate limits count it: the connection's peer, or, behind proxies listed
 * in GATEWAY_TRUSTED_PROXIES, the nearest X-Forwarded-For entry that is not one of them (proxy-addr,
 * as Express's `trust proxy`). A header from an untrusted peer is ignored, so a client cannot pick
 * its own bucket.
 */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const trust = proxyAddr.compile(trustedProxies.length > 0 ? [...trustedProxies] : []);
  return (req) => {
    if (!req.socket.remoteAddress) return 'unknown';
    return proxyAddr(req as Parameters<typeof proxyAddr>[0], trust);
  };
}

/**
 * The bucket of an address: an IPv4 address as is (IPv4-mapped IPv6 included), an IPv6 address by
 * its /64, because one subscriber commonly holds a whole /64 and could otherwise rotate through it.
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head, tail = ''] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const missing = 8 - left.length - right.length;
  const groups = address.includes('::') ? [...left, ...Array(missing).fill('0'), ...right] : left;
  return groups.map((group) => (group.includes('.') ? group : parseInt(group, 16).toString(16)));
}
