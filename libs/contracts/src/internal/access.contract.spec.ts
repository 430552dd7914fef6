import { meetAccess, narrowsAccess, type IntegrationAccess } from './access.contract';

const access = (over: Partial<IntegrationAccess>): IntegrationAccess => ({
  integrationId: 'i-1',
  version: 1,
  status: 'active',
  resourceAccess: 'custom',
  resources: ['Magento_Catalog::products', 'Magento_Sales::sales'],
  ...over,
});

describe('narrowsAccess (does a command take something away?)', () => {
  it.each([
    ['delete of an active integration', access({}), access({ status: 'deleted' }), true],
    ['reset of an active integration', access({}), access({ status: 'reset' }), true],
    ['a resource removed', access({}), access({ resources: ['Magento_Sales::sales'] }), true],
    ['all -> custom', access({ resourceAccess: 'all', resources: [] }), access({}), true],
    [
      'a resource added',
      access({}),
      access({ resources: ['Magento_Catalog::products', 'Magento_Sales::sales', 'Magento_Cms::page'] }),
      false,
    ],
    ['custom -> all', access({}), access({ resourceAccess: 'all', resources: [] }), false],
    ['activation', access({ status: 'inactive' }), access({}), false],
    ['anything on an inactive integration', access({ status: 'inactive' }), access({ status: 'deleted' }), false],
    ['a first event', null, access({ status: 'inactive' }), false],
  ])('%s: %s', (_case, before, after, expected) => {
    expect(narrowsAccess(before, after)).toBe(expected);
  });
});

describe('meetAccess (what a hold lets through)', () => {
  it('is active only when both are, with the refusing status otherwise', () => {
    expect(meetAccess(access({}), access({ status: 'deleted', version: 2 })).status).toBe('deleted');
    expect(meetAccess(access({ status: 'inactive' }), access({ version: 2 })).status).toBe('inactive');
    expect(meetAccess(access({}), access({ version: 2 }))).toEqual(access({ version: 2 }));
  });

  it('keeps only the resources both grant', () => {
    const met = meetAccess(
      access({}),
      access({ version: 2, resources: ['Magento_Sales::sales', 'Magento_Cms::page'] }),
    );
    expect(met).toEqual(access({ version: 2, resources: ['Magento_Sales::sales'] }));
    const withAll = meetAccess(access({ resourceAccess: 'all', resources: [] }), access({ version: 2 }));
    expect(withAll).toEqual(access({ version: 2 }));
  });
});

describe('the integration controls in the access state', () => {
  const later = '2031-01-01T00:00:00.000Z';
  const sooner = '2030-01-01T00:00:00.000Z';

  it.each([
    ['a suspension', access({}), access({ suspended: true }), true],
    ['a resumption', access({ suspended: true }), access({}), false],
    ['a first expiry', access({}), access({ expiresAt: later }), true],
    ['an earlier expiry', access({ expiresAt: later }), access({ expiresAt: sooner }), true],
    ['a later expiry', access({ expiresAt: sooner }), access({ expiresAt: later }), false],
    ['the expiry removed', access({ expiresAt: sooner }), access({}), false],
    ['a first allow-list', access({}), access({ ipAllowList: ['10.0.0.0/8'] }), true],
    ['a narrower allow-list', access({ ipAllowList: ['10.0.0.0/8'] }), access({ ipAllowList: ['10.1.0.0/16'] }), true],
    ['a wider allow-list', access({ ipAllowList: ['10.1.0.0/16'] }), access({ ipAllowList: ['10.0.0.0/8'] }), false],
    ['the allow-list removed', access({ ipAllowList: ['10.0.0.0/8'] }), access({}), false],
    [
      'a lower rate limit (counted by the gateways, not held)',
      access({ rateLimit: { requestsPerMinute: 100, burst: 10 } }),
      access({ rateLimit: { requestsPerMinute: 10, burst: 1 } }),
      false,
    ],
  ])('%s narrows access: %s', (_case, before, after, expected) => {
    expect(narrowsAccess(before, after)).toBe(expected);
  });

  it('meets into what both allow: suspended if either is, the earlier expiry, the common addresses, the newer limit', () => {
    const held = access({ suspended: true, expiresAt: sooner, ipAllowList: ['10.0.0.0/8', '192.0.2.0/24'] });
    const next = access({
      version: 2,
      expiresAt: later,
      ipAllowList: ['10.1.0.0/16'],
      rateLimit: { requestsPerMinute: 60, burst: 5 },
    });
    expect(meetAccess(held, next)).toEqual(
      access({
        version: 2,
        suspended: true,
        expiresAt: sooner,
        ipAllowList: ['10.1.0.0/16'],
        rateLimit: { requestsPerMinute: 60, burst: 5 },
      }),
    );
    // One side without a list: the other's list; neither: none.
    expect(meetAccess(access({}), access({ version: 2, ipAllowList: ['10.0.0.0/8'] })).ipAllowList).toEqual([
      '10.0.0.0/8',
    ]);
    expect(meetAccess(access({}), access({ version: 2 }))).toEqual(access({ version: 2 }));
  });
});
