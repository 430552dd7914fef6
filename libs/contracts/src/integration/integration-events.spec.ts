import { ConfigChanged, IntegrationUpdated, IntegrationUsageRecorded } from '../index';

describe('integration event schemas', () => {
  it('IntegrationUpdated carries only changed fields and refuses an empty change set', () => {
    expect(IntegrationUpdated.schema.safeParse({ integrationId: 'i', changes: { email: null } }).success).toBe(true);
    const empty = IntegrationUpdated.schema.safeParse({ integrationId: 'i', changes: {} });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.message).toBe('changes must name at least one field');
  });

  it('IntegrationUpdated refuses a change to a field that is not editable', () => {
    const result = IntegrationUpdated.schema.safeParse({ integrationId: 'i', changes: { setupType: 'config' } });
    expect(result.success).toBe(false);
  });

  it('IntegrationUsageRecorded needs an ISO time and a non-negative integer count', () => {
    const ok = { integrationId: 'i', lastUsedAt: '2025-01-01T00:00:00.000Z', uses: 3 };
    expect(IntegrationUsageRecorded.schema.safeParse(ok).success).toBe(true);
    expect(IntegrationUsageRecorded.schema.safeParse({ ...ok, lastUsedAt: 'Jan 1st' }).success).toBe(false);
    expect(IntegrationUsageRecorded.schema.safeParse({ ...ok, uses: 1.5 }).success).toBe(false);
  });

  it('ConfigChanged lists at least one change of a scalar setting', () => {
    const change = { path: 'webapi/webapisecurity/allow_insecure', value: true, previous: null };
    expect(ConfigChanged.schema.safeParse({ changes: [change] }).success).toBe(true);
    expect(ConfigChanged.schema.safeParse({ changes: [] }).success).toBe(false);
    expect(ConfigChanged.schema.safeParse({ changes: [{ ...change, value: { nested: 1 } }] }).success).toBe(false);
  });
});
