import type { IntegrationEvent } from '@integrations/contracts';
import {
  activationMode,
  decide,
  evolve,
  fold,
  initialState,
  IntegrationRejected,
  type IntegrationCommand,
  type IntegrationState,
  type RejectionCode,
} from './integration.decider';
import type { IntegrationFields } from './integration-fields';

const id = '6f1c2b1e-8d7a-4c53-9b7e-0a1b2c3d4e5f';
const t0 = new Date('2025-03-01T10:00:00.000Z');
const now = new Date('2025-03-01T11:00:00.000Z');
const actor = 'admin';

const fields = (overrides: Partial<IntegrationFields> = {}): IntegrationFields => ({
  name: 'ERP Sync',
  email: 'ops@example.com',
  callbackUrl: null,
  identityLinkUrl: null,
  resourceAccess: 'custom',
  resources: ['Magento_Sales::sales'],
  expiresAt: null,
  ipAllowList: [],
  rateLimit: null,
  ...overrides,
});

const created = (
  overrides: Partial<IntegrationFields> = {},
  setupType: 'manual' | 'config' = 'manual',
): IntegrationEvent => {
  const { expiresAt, ipAllowList, rateLimit, ...f } = fields(overrides);
  return {
    type: 'IntegrationCreated',
    payload: {
      integrationId: id,
      ...f,
      setupType,
      insecure: [f.callbackUrl, f.identityLinkUrl].some((u) => u?.toLowerCase().startsWith('http:')),
      // Controls are in the event only when set.
      ...(expiresAt !== null ? { expiresAt } : {}),
      ...(ipAllowList.length > 0 ? { ipAllowList } : {}),
      ...(rateLimit !== null ? { rateLimit } : {}),
    },
  };
};
const deleted: IntegrationEvent = { type: 'IntegrationDeleted', payload: { integrationId: id, name: 'ERP Sync' } };
const bothUrls = { callbackUrl: 'https://erp.example.com/cb', identityLinkUrl: 'https://erp.example.com/login' };

/** given(events).when(command).then(events) | .thenRejects(code) */
function given(...history: IntegrationEvent[]) {
  const state = fold(history.map((event) => ({ ...event, timestamp: t0 })));
  return {
    when(command: IntegrationCommand) {
      return {
        then: (expected: IntegrationEvent[]) => expect(decide(command, state)).toEqual(expected),
        thenRejects(code: RejectionCode, message?: string | RegExp) {
          let error: unknown;
          try {
            decide(command, state);
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(IntegrationRejected);
          expect((error as IntegrationRejected).code).toBe(code);
          if (message) expect((error as IntegrationRejected).message).toMatch(message);
        },
      };
    },
  };
}

const base = { integrationId: id, now, actor };
const create = (f = fields(), setupType: 'manual' | 'config' = 'manual'): IntegrationCommand => ({
  ...base,
  type: 'CreateIntegration',
  fields: f,
  setupType,
});
const update = (f: IntegrationFields, origin: 'admin' | 'config' = 'admin'): IntegrationCommand => ({
  ...base,
  type: 'UpdateIntegration',
  fields: f,
  origin,
});
const remove = (origin: 'admin' | 'config' = 'admin'): IntegrationCommand => ({
  ...base,
  type: 'DeleteIntegration',
  origin,
});
const activate = (reauthorize = false): IntegrationCommand => ({ ...base, type: 'StartActivation', reauthorize });
const complete: IntegrationCommand = { ...base, type: 'CompleteActivation' };
const reset: IntegrationCommand = { ...base, type: 'ResetIntegration' };

const activationStarted = (reauthorize: boolean): IntegrationEvent => ({
  type: 'IntegrationActivationStarted',
  payload: { integrationId: id, mode: 'exchange', reauthorize },
});
const activated = (mode: 'tokens' | 'exchange' = 'tokens'): IntegrationEvent => ({
  type: 'IntegrationActivated',
  payload: { integrationId: id, mode },
});
const reauthorized = (mode: 'tokens' | 'exchange' = 'tokens'): IntegrationEvent => ({
  type: 'IntegrationReauthorized',
  payload: { integrationId: id, mode },
});
const resetEvent: IntegrationEvent = { type: 'IntegrationReset', payload: { integrationId: id } };

describe('Integration decider', () => {
  describe('CreateIntegration', () => {
    it('creates an inactive manual integration with the given fields', () => {
      given().when(create()).then([created()]);
    });

    it('marks it insecure when either URL is plain http (Magento rule)', () => {
      const insecure = created({ callbackUrl: 'http://erp.example.com/cb' });
      expect(insecure.payload).toMatchObject({ insecure: true });
      given()
        .when(create(fields({ callbackUrl: 'http://erp.example.com/cb' })))
        .then([insecure]);
      const upperCase = created({ identityLinkUrl: 'HTTP://erp.example.com/login' });
      expect(upperCase.payload).toMatchObject({ insecure: true });
      given()
        .when(create(fields({ identityLinkUrl: 'HTTP://erp.example.com/login' })))
        .then([upperCase]);
    });

    it('does not mark empty URLs insecure', () => {
      const [event] = decide(create(fields({ callbackUrl: null, identityLinkUrl: null })), initialState);
      expect(event).toMatchObject({ payload: { insecure: false } });
    });

    it('creates a config-type integration when configuration asks', () => {
      given()
        .when(create(fields(), 'config'))
        .then([created({}, 'config')]);
    });

    it('rejects a second create on the same id', () => {
      given(created()).when(create()).thenRejects('INTEGRATION.ALREADY_EXISTS');
    });

    it('rejects reusing the id of a deleted integration', () => {
      given(created(), deleted).when(create()).thenRejects('INTEGRATION.ALREADY_EXISTS');
    });
  });

  describe('UpdateIntegration', () => {
    it('emits only the fields that changed', () => {
      given(created())
        .when(update(fields({ name: 'ERP Sync 2', resources: ['Magento_Catalog::catalog', 'Magento_Sales::sales'] })))
        .then([
          {
            type: 'IntegrationUpdated',
            payload: {
              integrationId: id,
              changes: { name: 'ERP Sync 2', resources: ['Magento_Catalog::catalog', 'Magento_Sales::sales'] },
            },
          },
        ]);
    });

    it('emits nothing when nothing changed', () => {
      given(created()).when(update(fields())).then([]);
    });

    it('treats a change of letter case in the name as a change', () => {
      given(created())
        .when(update(fields({ name: 'erp sync' })))
        .then([{ type: 'IntegrationUpdated', payload: { integrationId: id, changes: { name: 'erp sync' } } }]);
    });

    it('clears an optional field to null and recomputes insecure', () => {
      given(created({ callbackUrl: 'http://erp.example.com/cb' }))
        .when(update(fields({ email: null, callbackUrl: null })))
        .then([
          {
            type: 'IntegrationUpdated',
            payload: { integrationId: id, changes: { email: null, callbackUrl: null, insecure: false } },
          },
        ]);
    });

    it('switches to all resources', () => {
      given(created())
        .when(update(fields({ resourceAccess: 'all', resources: [] })))
        .then([
          {
            type: 'IntegrationUpdated',
            payload: { integrationId: id, changes: { resourceAccess: 'all', resources: [] } },
          },
        ]);
    });

    it('applies updates on top of earlier updates', () => {
      given(created(), { type: 'IntegrationUpdated', payload: { integrationId: id, changes: { name: 'Renamed' } } })
        .when(update(fields({ name: 'Renamed' })))
        .then([]);
    });

    it('rejects an update of an integration that never existed', () => {
      given().when(update(fields())).thenRejects('INTEGRATION.NOT_FOUND', 'This integration no longer exists.');
    });

    it('rejects an update of a deleted integration', () => {
      given(created(), deleted).when(update(fields())).thenRejects('INTEGRATION.NOT_FOUND');
    });

    it('rejects an admin update of a config-type integration', () => {
      given(created({}, 'config'))
        .when(update(fields({ name: 'Other' })))
        .thenRejects('INTEGRATION.CONFIG_MANAGED', /configuration file/);
    });

    it('lets configuration update a config-type integration', () => {
      given(created({}, 'config'))
        .when(update(fields({ name: 'Other' }), 'config'))
        .then([{ type: 'IntegrationUpdated', payload: { integrationId: id, changes: { name: 'Other' } } }]);
    });
  });

  describe('DeleteIntegration', () => {
    it('deletes and names the freed name', () => {
      given(created()).when(remove()).then([deleted]);
    });

    it('deletes an active integration', () => {
      given(created(), activated()).when(remove()).then([deleted]);
    });

    it('rejects deleting an integration that does not exist', () => {
      given().when(remove()).thenRejects('INTEGRATION.NOT_FOUND');
    });

    it('rejects deleting twice', () => {
      given(created(), deleted).when(remove()).thenRejects('INTEGRATION.NOT_FOUND');
    });

    it('rejects an admin delete of a config-type integration', () => {
      given(created({}, 'config'))
        .when(remove())
        .thenRejects('INTEGRATION.CONFIG_MANAGED', 'Uninstall the extension to remove integration "ERP Sync".');
    });

    it('lets configuration delete a config-type integration', () => {
      given(created({}, 'config')).when(remove('config')).then([deleted]);
    });
  });

  describe('StartActivation', () => {
    it('activates at once when a URL is missing (tokens mode)', () => {
      given(created({ callbackUrl: 'https://erp.example.com/cb' }))
        .when(activate())
        .then([activated('tokens')]);
    });

    it('starts a token exchange when both URLs are set', () => {
      given(created(bothUrls))
        .when(activate())
        .then([activationStarted(false)]);
    });

    it('restarts an exchange the third party never completed', () => {
      given(created(bothUrls), activationStarted(false))
        .when(activate())
        .then([activationStarted(false)]);
    });

    it('lets a config-type integration be activated by an admin', () => {
      given(created({}, 'config'))
        .when(activate())
        .then([activated('tokens')]);
    });

    it('reauthorizes an active integration (tokens mode)', () => {
      given(created(), activated())
        .when(activate(true))
        .then([reauthorized('tokens')]);
    });

    it('reauthorizes an active integration through an exchange', () => {
      given(created(bothUrls), activationStarted(false), activated('exchange'))
        .when(activate(true))
        .then([activationStarted(true)]);
    });

    it('runs the reauthorize flow when a Reset integration is activated (Magento)', () => {
      given(created({}, 'config'), activated(), resetEvent)
        .when(activate())
        .then([reauthorized('tokens')]);
      given(created(bothUrls, 'config'), resetEvent)
        .when(activate())
        .then([activationStarted(true)]);
    });

    it('rejects activating an active integration', () => {
      given(created(), activated()).when(activate()).thenRejects('INTEGRATION.ALREADY_ACTIVE');
    });

    it('rejects reauthorizing an integration that was never activated', () => {
      given(created()).when(activate(true)).thenRejects('INTEGRATION.NOT_ACTIVE');
    });

    it('rejects activating a deleted integration', () => {
      given(created(), deleted).when(activate()).thenRejects('INTEGRATION.NOT_FOUND');
    });

    it('rejects activating an integration that does not exist', () => {
      given().when(activate()).thenRejects('INTEGRATION.NOT_FOUND');
    });

    it('accepts the mode the caller issued credentials for when it still matches the URLs', () => {
      given(created(bothUrls))
        .when({ ...base, type: 'StartActivation', reauthorize: false, mode: 'exchange' })
        .then([activationStarted(false)]);
      given(created())
        .when({ ...base, type: 'StartActivation', reauthorize: false, mode: 'tokens' })
        .then([activated('tokens')]);
    });

    it('rejects an activation prepared for another mode (the URLs changed meanwhile)', () => {
      given(created(bothUrls))
        .when({ ...base, type: 'StartActivation', reauthorize: false, mode: 'tokens' })
        .thenRejects('INTEGRATION.ACTIVATION_MODE_CHANGED', /ERP Sync/);
      given(created(bothUrls), {
        type: 'IntegrationUpdated',
        payload: { integrationId: id, changes: { identityLinkUrl: null } },
      })
        .when({ ...base, type: 'StartActivation', reauthorize: false, mode: 'exchange' })
        .thenRejects('INTEGRATION.ACTIVATION_MODE_CHANGED');
    });
  });

  describe('CompleteActivation', () => {
    it('activates when the third party finished the exchange', () => {
      given(created(bothUrls), activationStarted(false))
        .when(complete)
        .then([activated('exchange')]);
    });

    it('records a reauthorization when the exchange was a reauthorize', () => {
      given(created(bothUrls), activationStarted(false), activated('exchange'), activationStarted(true))
        .when(complete)
        .then([reauthorized('exchange')]);
    });

    it('rejects completing when no exchange is pending', () => {
      given(created(bothUrls)).when(complete).thenRejects('INTEGRATION.NO_ACTIVATION_PENDING');
      given(created(bothUrls), activationStarted(false), activated('exchange'))
        .when(complete)
        .thenRejects('INTEGRATION.NO_ACTIVATION_PENDING');
    });

    it('rejects completing for a deleted integration', () => {
      given(created(bothUrls), activationStarted(false), deleted).when(complete).thenRejects('INTEGRATION.NOT_FOUND');
    });
  });

  describe('ResetIntegration', () => {
    it('resets a config-type integration', () => {
      given(created({}, 'config'), activated()).when(reset).then([resetEvent]);
    });

    it('rejects resetting a manual integration', () => {
      given(created()).when(reset).thenRejects('INTEGRATION.NOT_CONFIG_MANAGED');
    });

    it('rejects resetting a deleted integration', () => {
      given(created({}, 'config'), deleted).when(reset).thenRejects('INTEGRATION.NOT_FOUND');
    });
  });

  describe('controls (docs/adr/0010)', () => {
    const suspend = (origin: 'admin' | 'config' = 'admin'): IntegrationCommand => ({
      ...base,
      type: 'SuspendIntegration',
      origin,
    });
    const resume = (origin: 'admin' | 'config' = 'admin'): IntegrationCommand => ({
      ...base,
      type: 'ResumeIntegration',
      origin,
    });
    const expire = (at: Date): IntegrationCommand => ({ ...base, now: at, type: 'ExpireIntegration' });
    const suspended: IntegrationEvent = { type: 'IntegrationSuspended', payload: { integrationId: id } };
    const resumed: IntegrationEvent = { type: 'IntegrationResumed', payload: { integrationId: id } };
    const later = '2025-03-02T00:00:00.000Z';
    const expired = (expiresAt: string): IntegrationEvent => ({
      type: 'IntegrationExpired',
      payload: { integrationId: id, expiresAt },
    });
    const updated = (changes: Extract<IntegrationEvent, { type: 'IntegrationUpdated' }>['payload']['changes']) =>
      ({ type: 'IntegrationUpdated', payload: { integrationId: id, changes } }) as IntegrationEvent;

    it('suspends an active integration, keeping it active underneath', () => {
      given(created(), activated()).when(suspend()).then([suspended]);
      const state = fold([created(), activated(), suspended].map((event) => ({ ...event, timestamp: t0 })));
      expect(state).toMatchObject({ status: 'active', suspended: true });
    });

    it('suspends an inactive integration too (a stop switch beside activation)', () => {
      given(created()).when(suspend()).then([suspended]);
    });

    it('lets a suspended integration be activated and reauthorized: the new credentials wait for the resume', () => {
      given(created(), suspended).when(activate()).then([activated()]);
      given(created(), activated(), suspended).when(activate(true)).then([reauthorized()]);
    });

    it('suspends or resumes once: a repeat changes nothing', () => {
      given(created(), suspended).when(suspend()).then([]);
      given(created()).when(resume()).then([]);
      given(created(), suspended).when(resume()).then([resumed]);
      given(created(), suspended, resumed).when(resume()).then([]);
    });

    it('leaves the suspension of a config integration to its manifest', () => {
      given(created({}, 'config'))
        .when(suspend())
        .thenRejects('INTEGRATION.CONFIG_MANAGED', /manifest entry to suspend/);
      given(created({}, 'config'), suspended).when(resume()).thenRejects('INTEGRATION.CONFIG_MANAGED');
      given(created({}, 'config')).when(suspend('config')).then([suspended]);
    });

    it('refuses to suspend a deleted integration', () => {
      given(created(), deleted).when(suspend()).thenRejects('INTEGRATION.NOT_FOUND');
    });

    it('creates with controls, and refuses an expiry that is not in the future', () => {
      const controls = {
        expiresAt: later,
        ipAllowList: ['203.0.113.0/24'],
        rateLimit: { requestsPerMinute: 60, burst: 5 },
      };
      given()
        .when(create(fields(controls)))
        .then([created(controls)]);
      given()
        .when(create(fields({ expiresAt: now.toISOString() })))
        .thenRejects('INTEGRATION.EXPIRES_AT_PAST');
      // The manifest declares the state: a passed expiry is an expired integration, not a refusal.
      given()
        .when(create(fields({ expiresAt: t0.toISOString() }), 'config'))
        .then([created({ expiresAt: t0.toISOString() }, 'config')]);
      given(created({}, 'config'))
        .when(update(fields({ expiresAt: t0.toISOString() }), 'config'))
        .then([updated({ expiresAt: t0.toISOString() })]);
    });

    it('updates controls as changes, and refuses a new expiry in the past but keeps a passed one', () => {
      given(created())
        .when(update(fields({ expiresAt: later, ipAllowList: ['10.0.0.0/8'] })))
        .then([updated({ expiresAt: later, ipAllowList: ['10.0.0.0/8'] })]);
      given(created({ expiresAt: later }))
        .when(update(fields({ expiresAt: null, rateLimit: { requestsPerMinute: 10, burst: 10 } })))
        .then([updated({ expiresAt: null, rateLimit: { requestsPerMinute: 10, burst: 10 } })]);
      given(created())
        .when(update(fields({ expiresAt: t0.toISOString() })))
        .thenRejects('INTEGRATION.EXPIRES_AT_PAST');
      // Created before its expiry passed, edited after: the date is not a change.
      given(created({ expiresAt: t0.toISOString() }))
        .when(update(fields({ expiresAt: t0.toISOString(), email: null })))
        .then([updated({ email: null })]);
    });

    it('records an expiry once it passed, once per date', () => {
      const due = new Date(later);
      given(created({ expiresAt: later }))
        .when(expire(new Date(due.getTime() - 1)))
        .then([]);
      given(created({ expiresAt: later }))
        .when(expire(due))
        .then([expired(later)]);
      given(created({ expiresAt: later }), expired(later))
        .when(expire(due))
        .then([]);
      // Extended, then passed again: another one.
      const extended = '2025-03-05T00:00:00.000Z';
      given(created({ expiresAt: later }), expired(later), updated({ expiresAt: extended }))
        .when(expire(new Date(extended)))
        .then([expired(extended)]);
      given(created()).when(expire(due)).then([]);
      given(created({ expiresAt: later }), deleted)
        .when(expire(due))
        .then([]);
    });
  });

  describe('evolve', () => {
    const at = (iso: string) => new Date(iso);
    it('tracks status, fields and times through the lifecycle', () => {
      let state: IntegrationState = initialState;
      state = evolve(state, { ...created(bothUrls), timestamp: at('2025-01-01T00:00:00Z') });
      expect(state).toMatchObject({
        kind: 'Existing',
        status: 'inactive',
        setupType: 'manual',
        createdAt: at('2025-01-01T00:00:00Z'),
      });
      state = evolve(state, { ...activationStarted(false), timestamp: at('2025-01-02T00:00:00Z') });
      expect(state).toMatchObject({ status: 'inactive', pendingExchange: { reauthorize: false } });
      state = evolve(state, { ...activated('exchange'), timestamp: at('2025-01-03T00:00:00Z') });
      expect(state).toMatchObject({ status: 'active', pendingExchange: null, updatedAt: at('2025-01-03T00:00:00Z') });
      state = evolve(state, {
        type: 'IntegrationUpdated',
        payload: { integrationId: id, changes: { email: null } },
        timestamp: at('2025-01-04T00:00:00Z'),
      });
      expect(state).toMatchObject({
        email: null,
        name: 'ERP Sync',
        createdAt: at('2025-01-01T00:00:00Z'),
        updatedAt: at('2025-01-04T00:00:00Z'),
      });
      state = evolve(state, { ...deleted, timestamp: at('2025-01-05T00:00:00Z') });
      expect(state).toEqual({ kind: 'Deleted', id, name: 'ERP Sync', deletedAt: at('2025-01-05T00:00:00Z') });
    });

    it('derives the activation mode from the URLs', () => {
      expect(activationMode(bothUrls)).toBe('exchange');
      expect(activationMode({ callbackUrl: bothUrls.callbackUrl, identityLinkUrl: null })).toBe('tokens');
      expect(activationMode({ callbackUrl: null, identityLinkUrl: bothUrls.identityLinkUrl })).toBe('tokens');
    });
  });
});
