import { checkOutboundHost, restrictedKind, type ResolvedAddress } from './outbound-guard';

const resolvesTo =
  (...addresses: string[]) =>
  async (): Promise<ResolvedAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('restrictedKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['239.1.1.1', 'multicast'],
    ['192.0.2.10', 'documentation'],
    ['255.255.255.255', 'reserved'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(restrictedKind(address)).toBe(kind);
  });

  // The review's bypasses: each embeds or translates an IPv4 address (here mostly 127.0.0.1).
  it.each([
    ['::7f00:1', 'IPv4-compatible ::/96'],
    ['::127.0.0.1', 'IPv4-compatible, dotted'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata address'],
    ['::ffff:8.8.8.8', 'IPv4-mapped, even of a public address'],
    ['::ffff:0:7f00:1', 'IPv4-translated (RFC 2765)'],
    ['64:ff9b::10.0.0.1', 'NAT64 well-known prefix'],
    ['64:ff9b:1::7f00:1', 'NAT64 local-use prefix'],
    ['2002:7f00:1::', '6to4'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo'],
    ['192.88.99.1', '6to4 relay anycast'],
  ])('%s (%s) is refused as an embedding of IPv4', (address) => {
    expect(restrictedKind(address)).toBe('IPv4 embedded in IPv6 (translation or tunnel)');
  });

  it.each(['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '2a00:1450:4001:80b::200e'])(
    '%s is global unicast',
    (address) => {
      expect(restrictedKind(address)).toBeUndefined();
    },
  );
});

describe('checkOutboundHost', () => {
  it('refuses a host name that resolves to a loopback address, naming the address and why', async () => {
    const decision = await checkOutboundHost('partner.test', '', resolvesTo('127.0.0.1'));
    expect(decision).toEqual({
      ok: false,
      reason: 'restricted',
      host: 'partner.test',
      address: '127.0.0.1',
      kind: 'loopback',
    });
  });

  it('refuses the metadata address given literally, IPv6 brackets included', async () => {
    expect(await checkOutboundHost('169.254.169.254', '')).toMatchObject({
      ok: false,
      kind: 'link-local (cloud metadata)',
    });
    expect(await checkOutboundHost('[::1]', '')).toMatchObject({ ok: false, kind: 'loopback' });
  });

  it('returns the public address to connect to, skipping restricted ones of the same host', async () => {
    const decision = await checkOutboundHost('partner.test', '', resolvesTo('10.0.0.7', '93.184.216.34'));
    expect(decision).toEqual({ ok: true, address: { address: '93.184.216.34', family: 4 } });
  });

  it('lets the allow-list open an address or a CIDR range', async () => {
    expect(await checkOutboundHost('127.0.0.1', '127.0.0.1')).toMatchObject({ ok: true });
    expect(await checkOutboundHost('erp.internal', '10.0.0.0/8', resolvesTo('10.2.3.4'))).toMatchObject({
      ok: true,
      address: { address: '10.2.3.4' },
    });
    expect(await checkOutboundHost('127.0.0.2', '127.0.0.1')).toMatchObject({ ok: false, kind: 'loopback' });
  });

  it('never opens an IPv6 embedding of an allow-listed IPv4 address', async () => {
    for (const host of ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::7f00:1]', '[64:ff9b::7f00:1]']) {
      expect(await checkOutboundHost(host, '127.0.0.1, 0.0.0.0/0')).toMatchObject({
        ok: false,
        kind: 'IPv4 embedded in IPv6 (translation or tunnel)',
      });
    }
  });

  it('checks the addresses of an allow-listed host name like any other (its DNS could point anywhere)', async () => {
    expect(await checkOutboundHost('partner.example', 'partner.example', resolvesTo('169.254.169.254'))).toEqual({
      ok: false,
      reason: 'restricted',
      host: 'partner.example',
      address: '169.254.169.254',
      kind: 'link-local (cloud metadata)',
    });
    expect(await checkOutboundHost('localhost', 'localhost', resolvesTo('127.0.0.1'))).toMatchObject({
      ok: false,
      kind: 'loopback',
    });
    expect(await checkOutboundHost('partner.example', 'partner.example', resolvesTo('93.184.216.34'))).toMatchObject({
      ok: true,
    });
  });

  it('reports a host that does not resolve', async () => {
    const decision = await checkOutboundHost('nowhere.test', '', async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    });
    expect(decision).toEqual({ ok: false, reason: 'unresolvable', host: 'nowhere.test' });
  });
});
