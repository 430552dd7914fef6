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
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local (cloud metadata)'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['239.1.1.1', 'multicast'],
  ])('%s is %s', (address, kind) => {
    expect(restrictedKind(address)).toBe(kind);
  });

  it.each(['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
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

  it('lets the allow-list open an address, a CIDR range or a host name', async () => {
    expect(await checkOutboundHost('127.0.0.1', '127.0.0.1')).toMatchObject({ ok: true });
    expect(await checkOutboundHost('erp.internal', '10.0.0.0/8', resolvesTo('10.2.3.4'))).toMatchObject({
      ok: true,
      address: { address: '10.2.3.4' },
    });
    expect(await checkOutboundHost('localhost', 'example.com, localhost', resolvesTo('127.0.0.1'))).toMatchObject({
      ok: true,
    });
    expect(await checkOutboundHost('127.0.0.2', '127.0.0.1')).toMatchObject({ ok: false, kind: 'loopback' });
  });

  it('reports a host that does not resolve', async () => {
    const decision = await checkOutboundHost('nowhere.test', '', async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    });
    expect(decision).toEqual({ ok: false, reason: 'unresolvable', host: 'nowhere.test' });
  });
});
