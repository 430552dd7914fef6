import { addressInRanges, intersectIpRanges, ipRangeProblem, ipRangesCover, normalizeIpRange } from './ip-ranges';

describe('IP allow-list ranges', () => {
  it('accepts addresses and CIDR ranges of both families, in canonical form', () => {
    expect(normalizeIpRange('203.0.113.0/24')).toBe('203.0.113.0/24');
    expect(normalizeIpRange(' 198.51.100.7 ')).toBe('198.51.100.7/32');
    expect(normalizeIpRange('2001:DB8:0:0::/32')).toBe('2001:db8::/32');
    expect(normalizeIpRange('::1')).toBe('::1/128');
    expect(normalizeIpRange('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  it.each([
    ['', /empty/],
    ['203.0.113.0/33', /prefix/],
    ['203.0.113.0/-1', /prefix/],
    ['203.0.113.5/24', /203\.0\.113\.0\/24/],
    ['256.1.1.1', /not an IPv4 or IPv6/],
    ['example.com', /not an IPv4 or IPv6/],
    ['2001:db8::/129', /prefix/],
    ['fe80::1%eth0', /not an IPv4 or IPv6/],
  ])('refuses %p, saying what to write', (entry, message) => {
    expect(ipRangeProblem(entry)).toMatch(message);
  });

  it('matches addresses, an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    const list = ['203.0.113.0/24', '2001:db8::/32'];
    expect(addressInRanges('203.0.113.200', list)).toBe(true);
    expect(addressInRanges('::ffff:203.0.113.9', list)).toBe(true);
    expect(addressInRanges('2001:db8:1::5', list)).toBe(true);
    expect(addressInRanges('203.0.114.1', list)).toBe(false);
    expect(addressInRanges('2001:db9::1', list)).toBe(false);
    expect(addressInRanges('not-an-address', list)).toBe(false);
    expect(addressInRanges('127.0.0.1', [])).toBe(false);
  });

  it('meets two lists into the addresses both accept, and tells whether one covers another', () => {
    expect(intersectIpRanges(['203.0.113.0/24', '10.0.0.0/8'], ['203.0.113.128/25', '192.0.2.0/24'])).toEqual([
      '203.0.113.128/25',
    ]);
    expect(intersectIpRanges(['10.0.0.0/8'], ['192.0.2.0/24'])).toEqual([]);
    expect(ipRangesCover(['10.0.0.0/8'], ['10.1.0.0/16', '10.2.3.4/32'])).toBe(true);
    expect(ipRangesCover(['10.1.0.0/16'], ['10.0.0.0/8'])).toBe(false);
    expect(ipRangesCover(['0.0.0.0/0', '::/0'], ['2001:db8::/32'])).toBe(true);
  });
});
