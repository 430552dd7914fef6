import type { IncomingMessage } from 'node:http';
import { addressBucket, clientAddressResolver } from './client-address';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('client address of the rate limits', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientAddressResolver([])(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
  });

  it('behind trusted proxies, is the nearest forwarded address that is not one of them', () => {
    const resolve = clientAddressResolver(['10.0.0.0/8', 'loopback']);
    expect(resolve(request('10.1.2.3', '198.51.100.1, 10.9.9.9'))).toBe('198.51.100.1');
    // A client cannot prepend its way out of its bucket: the rightmost untrusted entry wins.
    expect(resolve(request('127.0.0.1', '192.0.2.66, 198.51.100.1'))).toBe('198.51.100.1');
    expect(resolve(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
  });

  it('buckets IPv4 as is, IPv4-mapped IPv6 as IPv4, and IPv6 by its /64', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
  });
});
