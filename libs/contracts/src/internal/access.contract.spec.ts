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
