import {
  AccessTokenGranted,
  ConsumerCreated,
  CredentialsIssued,
  eventRegistry,
  TokensRevoked,
  toCloudEvent,
} from '../index';

describe('oauth event schemas', () => {
  it('refuse a payload that carries a secret next to the declared fields', () => {
    const granted = { integrationId: 'i-1', consumerId: 'c-1', accessTokenFingerprint: 'wxyz' };
    expect(AccessTokenGranted.schema.safeParse(granted).success).toBe(true);
    expect(AccessTokenGranted.schema.safeParse({ ...granted, accessTokenSecret: 'a'.repeat(32) }).success).toBe(false);
  });

  it('accept only a 4-character fingerprint, never a whole credential', () => {
    const created = { integrationId: 'i-1', consumerId: 'c-1', consumerKeyFingerprint: 'ab12' };
    expect(ConsumerCreated.schema.safeParse(created).success).toBe(true);
    expect(ConsumerCreated.schema.safeParse({ ...created, consumerKeyFingerprint: 'k'.repeat(32) }).success).toBe(
      false,
    );
  });

  it('are registered, so the relay can publish them as CloudEvents', () => {
    expect(eventRegistry.TokensRevoked).toBe(TokensRevoked);
    const event = toCloudEvent(
      {
        streamId: 'i-1',
        version: 3,
        type: 'CredentialsIssued',
        payload: {
          integrationId: 'i-1',
          consumerId: 'c-1',
          mode: 'tokens',
          reauthorize: false,
          accessTokenFingerprint: '9zz9',
        },
        timestamp: new Date('2025-01-01T00:00:00Z'),
        metadata: { eventId: 'e-1', correlationId: 'r-1' },
      },
      '/integrations/oauth',
    );
    expect(event).toMatchObject({ type: CredentialsIssued.type, subject: 'i-1', sequence: '3' });
  });
});
