import { AclCatalog } from '../acl-catalog';
import type { IntegrationFields } from '../integration-fields';
import type { ManifestEntry } from './manifest-file';
import {
  type CurrentIntegration,
  effectiveResources,
  type ManifestState,
  parentMap,
  planManifest,
} from './manifest-plan';

const parents = parentMap(AclCatalog.load('config/acl-resources.json').resources);

const fields = (name: string, extra: Partial<IntegrationFields> = {}): IntegrationFields => ({
  name,
  email: 'ops@example.com',
  callbackUrl: null,
  identityLinkUrl: null,
  resourceAccess: 'custom',
  resources: ['Magento_Sales::sales_order'],
  expiresAt: null,
  ipAllowList: [],
  rateLimit: null,
  ...extra,
});
const entry = (index: number, f: IntegrationFields, suspended = false): ManifestEntry => ({
  index,
  fields: f,
  suspended,
});
const current = (f: IntegrationFields, extra: Partial<CurrentIntegration> = {}): CurrentIntegration => ({
  id: `id-${f.name}`,
  version: 3,
  setupType: 'config',
  status: 'inactive',
  hasCredentials: false,
  suspended: false,
  fields: f,
  ...extra,
});
const state = (integrations: CurrentIntegration[]): ManifestState => ({
  byName: new Map(integrations.map((i) => [i.fields.name.toLowerCase(), i])),
  configIntegrations: integrations.filter((i) => i.setupType === 'config'),
});
const kinds = (actions: ReturnType<typeof planManifest>) =>
  actions.map(
    (a) =>
      `${a.kind}:${a.kind === 'delete' ? a.current.fields.name : a.entry.fields.name}${a.kind === 'update' && a.reset ? ':reset' : ''}`,
  );

describe('effectiveResources (as the acl service expands grants)', () => {
  it('adds every ancestor up to Magento_Backend::admin', () => {
    expect(
      effectiveResources({ resourceAccess: 'custom', resources: ['Magento_Sales::sales_order'] }, parents),
    ).toEqual([
      'Magento_Backend::admin',
      'Magento_Sales::sales',
      'Magento_Sales::sales_operation',
      'Magento_Sales::sales_order',
    ]);
  });

  it('is Magento_Backend::all for "all", and nothing for an empty Custom selection', () => {
    expect(effectiveResources({ resourceAccess: 'all', resources: [] }, parents)).toEqual(['Magento_Backend::all']);
    expect(effectiveResources({ resourceAccess: 'custom', resources: [] }, parents)).toEqual([]);
  });
});

describe('planManifest', () => {
  it('creates what is missing and leaves an identical integration alone (a second start writes nothing)', () => {
    const erp = fields('ERP');
    expect(kinds(planManifest([entry(0, erp), entry(1, fields('CRM'))], state([current(erp)]), parents))).toEqual([
      'unchanged:ERP',
      'create:CRM',
    ]);
  });

  it('updates a changed email or URL without a reset, even when the integration is active', () => {
    const before = fields('ERP');
    const after = fields('ERP', { email: 'new@example.com', callbackUrl: 'https://erp.example.com/cb' });
    expect(
      kinds(
        planManifest([entry(0, after)], state([current(before, { status: 'active', hasCredentials: true })]), parents),
      ),
    ).toEqual(['update:ERP']);
  });

  it('resets an activated integration whose effective resources changed', () => {
    const before = fields('ERP');
    const after = fields('ERP', { resources: ['Magento_Catalog::products', 'Magento_Sales::sales_order'] });
    const [action] = planManifest(
      [entry(0, after)],
      state([current(before, { status: 'active', hasCredentials: true })]),
      parents,
    );
    expect(action).toMatchObject({ kind: 'update', reset: true, current: { id: 'id-ERP', version: 3 } });
  });

  it('resets on a switch between "all" and "custom", and while an exchange is pending', () => {
    const before = fields('ERP');
    const after = fields('ERP', { resourceAccess: 'all', resources: [] });
    const pending = current(before, { status: 'inactive', hasCredentials: true });
    expect(kinds(planManifest([entry(0, after)], state([pending]), parents))).toEqual(['update:ERP:reset']);
  });

  it('does not reset when only implied parents were listed explicitly (same effective grant)', () => {
    const before = fields('ERP');
    const after = fields('ERP', {
      resources: ['Magento_Sales::sales', 'Magento_Sales::sales_operation', 'Magento_Sales::sales_order'],
    });
    expect(
      kinds(
        planManifest([entry(0, after)], state([current(before, { status: 'active', hasCredentials: true })]), parents),
      ),
    ).toEqual(['update:ERP']);
  });

  it('does not reset an integration that never had credentials, nor one already reset', () => {
    const before = fields('ERP');
    const after = fields('ERP', { resources: ['Magento_Catalog::products'] });
    expect(kinds(planManifest([entry(0, after)], state([current(before)]), parents))).toEqual(['update:ERP']);
    expect(kinds(planManifest([entry(0, after)], state([current(before, { status: 'reset' })]), parents))).toEqual([
      'update:ERP',
    ]);
  });

  it('deletes config integrations no longer listed, and never touches manual ones', () => {
    const manual = current(fields('Shop'), { setupType: 'manual' });
    const gone = current(fields('Old Feed'));
    const plan = planManifest(
      [entry(0, fields('Shop'))],
      { byName: new Map([['shop', manual]]), configIntegrations: [gone] },
      parents,
    );
    expect(kinds(plan)).toEqual(['conflict:Shop', 'delete:Old Feed']);
  });

  it('matches names case-insensitively and renames the case through an update', () => {
    const stored = current(fields('ERP Connector'));
    const plan = planManifest([entry(0, fields('erp connector'))], state([stored]), parents);
    expect(kinds(plan)).toEqual(['update:erp connector']);
  });
});
