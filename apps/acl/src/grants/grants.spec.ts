import { randomUUID } from 'node:crypto';
import { toCloudEvent } from '@integrations/contracts';
import type { IncomingMessage } from '@integrations/messaging';
import { AclCatalog } from '../catalog/acl-catalog';
import { parseGrantsEvent } from './grants.consumer';
import { grantsChanges } from './grants.projection';
import { toIntegrationGrants, type GrantsRecord } from './integration-grants';

const catalog = AclCatalog.load('config/acl-resources.json');
const record = (overrides: Partial<GrantsRecord> = {}): GrantsRecord => ({
  integrationId: 'i-1',
  status: 'active',
  resourceAccess: 'custom',
  resources: ['Magento_Catalog::products'],
  version: 1,
  ...overrides,
});

describe('toIntegrationGrants', () => {
  it('Custom adds every ancestor of each chosen resource, never its siblings or children', () => {
    const grants = toIntegrationGrants(
      record({ resources: ['Magento_Catalog::products', 'Magento_Cms::block'] }),
      catalog,
    );
    expect([...grants.granted].sort()).toEqual([
      'Magento_Backend::admin',
      'Magento_Backend::content',
      'Magento_Backend::content_elements',
      'Magento_Catalog::catalog',
      'Magento_Catalog::catalog_inventory',
      'Magento_Catalog::products',
      'Magento_Cms::block',
    ]);
    expect(grants.all).toBe(false);
  });

  it('All is Magento_Backend::all; an empty Custom selection is nothing', () => {
    expect(toIntegrationGrants(record({ resourceAccess: 'all', resources: [] }), catalog)).toMatchObject({
      all: true,
      granted: new Set(['Magento_Backend::all']),
    });
    expect(toIntegrationGrants(record({ resources: [] }), catalog).granted.size).toBe(0);
  });
});

describe('grantsChanges (what each integration event sets)', () => {
  it.each([
    [
      'Created custom',
      {
        type: 'IntegrationCreated',
        payload: {
          integrationId: 'i',
          name: 'n',
          email: null,
          callbackUrl: null,
          identityLinkUrl: null,
          resourceAccess: 'custom',
          resources: ['Magento_Cms::page'],
          setupType: 'manual',
          insecure: false,
        },
      },
      {
        status: 'inactive',
        resourceAccess: 'custom',
        resources: ['Magento_Cms::page'],
        suspended: false,
        expiresAt: null,
        ipAllowList: [],
        rateLimit: null,
      },
    ],
    [
      'Created all (resources dropped)',
      {
        type: 'IntegrationCreated',
        payload: {
          integrationId: 'i',
          name: 'n',
          email: null,
          callbackUrl: null,
          identityLinkUrl: null,
          resourceAccess: 'all',
          resources: ['ignored'],
          setupType: 'config',
          insecure: false,
        },
      },
      {
        status: 'inactive',
        resourceAccess: 'all',
        resources: [],
        suspended: false,
        expiresAt: null,
        ipAllowList: [],
        rateLimit: null,
      },
    ],
    [
      'Updated resources',
      { type: 'IntegrationUpdated', payload: { integrationId: 'i', changes: { resources: ['Magento_Cms::block'] } } },
      { resources: ['Magento_Cms::block'] },
    ],
    [
      'Updated resourceAccess',
      { type: 'IntegrationUpdated', payload: { integrationId: 'i', changes: { resourceAccess: 'all' } } },
      { resourceAccess: 'all' },
    ],
    [
      'Updated name only',
      { type: 'IntegrationUpdated', payload: { integrationId: 'i', changes: { name: 'renamed' } } },
      {},
    ],
    [
      'ActivationStarted',
      { type: 'IntegrationActivationStarted', payload: { integrationId: 'i', mode: 'exchange', reauthorize: true } },
      { status: 'inactive' },
    ],
    [
      'Activated',
      { type: 'IntegrationActivated', payload: { integrationId: 'i', mode: 'tokens' } },
      { status: 'active' },
    ],
    [
      'Reauthorized',
      { type: 'IntegrationReauthorized', payload: { integrationId: 'i', mode: 'exchange' } },
      { status: 'active' },
    ],
    ['Reset', { type: 'IntegrationReset', payload: { integrationId: 'i' } }, { status: 'reset' }],
    [
      'Deleted',
      { type: 'IntegrationDeleted', payload: { integrationId: 'i', name: 'n' } },
      { status: 'deleted', resources: [] },
    ],
    [
      'Created with controls',
      {
        type: 'IntegrationCreated',
        payload: {
          integrationId: 'i',
          name: 'n',
          email: null,
          callbackUrl: null,
          identityLinkUrl: null,
          resourceAccess: 'all',
          resources: [],
          setupType: 'manual',
          insecure: false,
          expiresAt: '2030-01-01T00:00:00.000Z',
          ipAllowList: ['10.0.0.0/8'],
          rateLimit: { requestsPerMinute: 60, burst: 5 },
        },
      },
      {
        status: 'inactive',
        resourceAccess: 'all',
        resources: [],
        suspended: false,
        expiresAt: '2030-01-01T00:00:00.000Z',
        ipAllowList: ['10.0.0.0/8'],
        rateLimit: { requestsPerMinute: 60, burst: 5 },
      },
    ],
    [
      'Updated controls',
      {
        type: 'IntegrationUpdated',
        payload: { integrationId: 'i', changes: { expiresAt: null, ipAllowList: [], rateLimit: null } },
      },
      { expiresAt: null, ipAllowList: [], rateLimit: null },
    ],
    ['Suspended', { type: 'IntegrationSuspended', payload: { integrationId: 'i' } }, { suspended: true }],
    ['Resumed', { type: 'IntegrationResumed', payload: { integrationId: 'i' } }, { suspended: false }],
    [
      'Expired (refused from expiresAt on already)',
      { type: 'IntegrationExpired', payload: { integrationId: 'i', expiresAt: '2030-01-01T00:00:00.000Z' } },
      {},
    ],
  ] as const)('%s', (_label, event, expected) => {
    expect(grantsChanges(event as never)).toEqual(expected);
  });
});

describe('parseGrantsEvent', () => {
  const message = (value: string | null): IncomingMessage => ({
    topic: 't',
    partition: 0,
    offset: '0',
    key: 'i-1',
    value,
    headers: {},
  });
  const cloudEvent = (type: string, payload: unknown, version = 3) =>
    JSON.stringify({
      ...toCloudEvent(
        {
          streamId: 'i-1',
          version,
          type: 'IntegrationReset',
          payload: { integrationId: 'i-1' },
          timestamp: new Date('2024-01-01T00:00:00Z'),
          metadata: { eventId: randomUUID(), correlationId: 'c' },
        },
        '/x',
      ),
      type,
      data: payload,
    });

  it('reads subject, sequence and the validated event', () => {
    expect(
      parseGrantsEvent(message(cloudEvent('IntegrationActivated', { integrationId: 'i-1', mode: 'tokens' }, 12))),
    ).toEqual({
      integrationId: 'i-1',
      version: 12,
      time: new Date('2024-01-01T00:00:00Z'),
      event: { type: 'IntegrationActivated', payload: { integrationId: 'i-1', mode: 'tokens' } },
    });
  });

  it('keeps the version of an event type it does not know, with no event', () => {
    expect(parseGrantsEvent(message(cloudEvent('IntegrationRenamedV9', { anything: 1 })))).toMatchObject({
      version: 3,
      event: null,
    });
  });

  it('rejects (to the dead-letter topic) invalid data, invalid JSON and empty messages', () => {
    expect(() =>
      parseGrantsEvent(message(cloudEvent('IntegrationActivated', { integrationId: 'i-1', mode: 'fax' }))),
    ).toThrow(/Invalid IntegrationActivated/);
    expect(() => parseGrantsEvent(message('{nope'))).toThrow(/not valid JSON/);
    expect(() => parseGrantsEvent(message(null))).toThrow(/Empty message/);
  });
});
