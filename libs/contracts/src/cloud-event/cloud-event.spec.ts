import {
  ContractValidationError,
  IntegrationCreated,
  Topics,
  eventRegistry,
  parseCloudEvent,
  sequenceOf,
  toCloudEvent,
  type EventRecord,
  type IntegrationCreatedData,
} from '../index';

const created: IntegrationCreatedData = {
  integrationId: 'int-1',
  name: 'ERP connector',
  email: 'erp@example.com',
  callbackUrl: 'https://erp.example.com/callback',
  identityLinkUrl: 'https://erp.example.com/login',
  resourceAccess: 'custom',
  resources: ['Magento_Sales::sales', 'Magento_Catalog::products'],
  setupType: 'manual',
  insecure: false,
};

function record(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    streamId: 'int-1',
    version: 12,
    type: 'IntegrationCreated',
    payload: created,
    timestamp: new Date('2025-03-04T05:06:07.089Z'),
    metadata: { eventId: 'evt-1', correlationId: 'req-1', causationId: 'msg-0', actor: 'admin' },
    ...overrides,
  };
}

function errorOf(run: () => unknown): ContractValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractValidationError) return error;
    throw error;
  }
  throw new Error('expected a ContractValidationError');
}

describe('toCloudEvent', () => {
  it('maps a stored event onto the CloudEvents envelope with our extensions', () => {
    expect(toCloudEvent(record(), '/integrations/registry')).toEqual({
      specversion: '1.0',
      id: 'evt-1',
      source: '/integrations/registry',
      type: 'IntegrationCreated',
      subject: 'int-1',
      time: '2025-03-04T05:06:07.089Z',
      datacontenttype: 'application/json',
      data: created,
      sequence: '12',
      correlationid: 'req-1',
      causationid: 'msg-0',
      actor: 'admin',
      schemaversion: 1,
    });
  });

  it('omits the optional extensions that the metadata does not carry', () => {
    const event = toCloudEvent(record({ metadata: { eventId: 'e', correlationId: 'c' } }), '/s');
    expect(Object.keys(event)).not.toContain('causationid');
    expect(Object.keys(event)).not.toContain('actor');
  });

  it('refuses to publish a payload with a field the contract does not declare', () => {
    const error = errorOf(() =>
      toCloudEvent(record({ payload: { ...created, consumerSecret: 'abcdefghijklmnopqrstuvwxyz012345' } }), '/s'),
    );
    expect(error.code).toBe('CONTRACTS.INVALID_EVENT');
    expect(error.message).toContain('consumerSecret');
    expect(error.message).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
  });

  it('refuses an event type that is not in the registry', () => {
    expect(() => toCloudEvent(record({ type: 'TokenIssued' }), '/s')).toThrow(
      /TokenIssued is not in the contracts registry/,
    );
  });
});

describe('parseCloudEvent', () => {
  it('round-trips a published event, from the JSON text as it travels on Kafka', () => {
    const message = JSON.stringify(toCloudEvent(record(), '/integrations/registry'));
    const parsed = parseCloudEvent(message);

    expect(parsed.kind).toBe('known');
    if (parsed.kind !== 'known' || parsed.event.type !== 'IntegrationCreated') throw new Error('not narrowed');
    // The narrowing gives the typed data: a compile-time check as much as a runtime one.
    const resources: string[] = parsed.event.data.resources;
    expect(resources).toEqual(created.resources);
    expect(parsed.event.subject).toBe('int-1');
    expect(sequenceOf(parsed.event)).toBe(12);
  });

  it('rejects data with a missing field, naming the field in a readable message', () => {
    const { name: _name, ...withoutName } = created;
    const event = { ...toCloudEvent(record(), '/s'), data: withoutName };
    const error = errorOf(() => parseCloudEvent(event));
    expect(error.message).toBe(
      'Invalid IntegrationCreated evt-1: data.name: Invalid input: expected string, received undefined',
    );
    expect(error.issues).toEqual([
      { path: 'data.name', message: 'Invalid input: expected string, received undefined' },
    ]);
  });

  it('rejects data with an extra secret-looking field without echoing its value', () => {
    const event = {
      ...toCloudEvent(record(), '/s'),
      data: { ...created, accessTokenSecret: 'tok-secret-value-0000000000000000' },
    };
    const error = errorOf(() => parseCloudEvent(event));
    expect(error.message).toContain('Unrecognized key: "accessTokenSecret"');
    expect(error.message).not.toContain('tok-secret-value');
  });

  it('rejects an invalid envelope with every problem listed', () => {
    const { subject: _subject, ...noSubject } = toCloudEvent(record(), '/s');
    const error = errorOf(() => parseCloudEvent({ ...noSubject, specversion: '0.3', sequence: '007' }));
    expect(error.message).toMatch(/^Invalid CloudEvent envelope: /);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['sequence', 'specversion', 'subject']);
  });

  it('rejects text that is not JSON without quoting it', () => {
    const error = errorOf(() => parseCloudEvent('{"consumer_secret": "s3cr3t"'));
    expect(error.message).toBe('Message is not valid JSON (28 characters).');
  });

  it('returns a valid envelope of an unknown type as unknown, untouched, for the consumer to skip', () => {
    const event = { ...toCloudEvent(record(), '/s'), type: 'IntegrationArchived', data: { anything: 1 }, newext: 'x' };
    const parsed = parseCloudEvent(event);
    expect(parsed).toEqual({ kind: 'unknown', event });
  });

  it('still rejects an unknown type whose envelope is invalid', () => {
    const event = { ...toCloudEvent(record(), '/s'), type: 'IntegrationArchived', time: 'yesterday' };
    expect(() => parseCloudEvent(event)).toThrow(/Invalid CloudEvent envelope: time: /);
  });

  it('accepts an event without schemaversion as version 1 and rejects a version it does not know', () => {
    const { schemaversion: _v, ...v1 } = toCloudEvent(record(), '/s');
    expect(parseCloudEvent(v1).kind).toBe('known');
    expect(() => parseCloudEvent({ ...v1, schemaversion: 2 })).toThrow(
      'IntegrationCreated evt-1 has schemaversion 2; this consumer understands 1.',
    );
  });

  it('tolerates extension attributes it does not know on a known type', () => {
    const parsed = parseCloudEvent({ ...toCloudEvent(record(), '/s'), traceparent: '00-abc-def-01' });
    expect(parsed.kind).toBe('known');
  });
});

describe('event registry', () => {
  it('keys every definition by its own type and routes it to a declared topic', () => {
    for (const [key, definition] of Object.entries(eventRegistry)) {
      expect(definition.type).toBe(key);
      expect(Object.values(Topics)).toContain(definition.topic);
    }
    expect(eventRegistry.IntegrationCreated).toBe(IntegrationCreated);
    expect(eventRegistry.IntegrationUsageRecorded.topic).toBe('integrations.oauth.v1');
    expect(eventRegistry.ConfigChanged.topic).toBe('integrations.config.v1');
  });
});
