import type { IntegrationAccess } from '@integrations/contracts';
import { effectiveAccess } from './effective-access';

const access = (version: number, over: Partial<IntegrationAccess> = {}): IntegrationAccess => ({
  integrationId: 'i-1',
  version,
  status: 'active',
  resourceAccess: 'custom',
  resources: ['Magento_Catalog::products', 'Magento_Sales::sales'],
  ...over,
});

describe('effectiveAccess (projection, snapshot, holds)', () => {
  it('knows nothing without a projection or a snapshot, whatever is held', () => {
    expect(effectiveAccess({ projection: null, snapshot: null, holds: [access(3, { status: 'deleted' })] })).toBeNull();
  });

  it('takes the newer of the projection and the snapshot', () => {
    const projection = access(4, { resources: ['Magento_Sales::sales'] });
    const snapshot = access(5, { status: 'deleted' });
    expect(effectiveAccess({ projection, snapshot, holds: [] })).toEqual(snapshot);
    expect(effectiveAccess({ projection: access(6), snapshot, holds: [] })).toEqual(access(6));
    expect(effectiveAccess({ projection: null, snapshot, holds: [] })).toEqual(snapshot);
    expect(effectiveAccess({ projection, snapshot: null, holds: [] })).toEqual(projection);
  });

  it('prefers the snapshot at the same version (the registry computed it)', () => {
    const snapshot = access(5, { resources: [] });
    expect(effectiveAccess({ projection: access(5), snapshot, holds: [] })).toBe(snapshot);
  });

  it('refuses while a delete is held above the known version', () => {
    const held = effectiveAccess({ projection: access(2), snapshot: null, holds: [access(3, { status: 'deleted' })] });
    expect(held).toMatchObject({ status: 'deleted', version: 3 });
  });

  it('holds the intersection of a narrowing update', () => {
    const held = effectiveAccess({
      projection: null,
      snapshot: access(2),
      holds: [access(3, { resources: ['Magento_Sales::sales', 'Magento_Cms::page'] })],
    });
    expect(held).toEqual(access(3, { resources: ['Magento_Sales::sales'] }));
  });

  it('ignores a hold at or below the known version (its command is reflected, or lost the race)', () => {
    const snapshot = access(3);
    const holds = [access(3, { status: 'deleted' }), access(2, { status: 'reset' })];
    expect(effectiveAccess({ projection: null, snapshot, holds })).toEqual(snapshot);
  });

  it('meets several holds in version order, reporting the newest refusing status', () => {
    const held = effectiveAccess({
      projection: access(1),
      snapshot: null,
      holds: [access(3, { status: 'deleted' }), access(2, { status: 'reset', resources: ['Magento_Sales::sales'] })],
    });
    expect(held).toEqual(access(3, { status: 'deleted', resources: ['Magento_Sales::sales'] }));
  });

  it('never widens: a hold granting more than the known state lets through only the known state', () => {
    const known = access(2, { status: 'inactive', resourceAccess: 'custom', resources: ['Magento_Sales::sales'] });
    const held = effectiveAccess({
      projection: known,
      snapshot: null,
      holds: [access(3, { resourceAccess: 'all', resources: [] })],
    });
    expect(held).toMatchObject({ status: 'inactive', resourceAccess: 'custom', resources: ['Magento_Sales::sales'] });
  });
});
