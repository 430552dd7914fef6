import { toCloudEvent } from '@integrations/contracts';
import { InvalidMessageError, type IncomingMessage } from '@integrations/messaging';
import { describeIntegrationEvent } from './describe-event';
import { parseMessage } from './subscriber';

const incoming = (value: string | null): IncomingMessage => ({
  topic: 't',
  partition: 0,
  offset: '0',
  key: 'k',
  value,
  headers: {},
});
const deleted = (name: unknown) =>
  JSON.stringify(
    toCloudEvent(
      {
        streamId: 'int-1',
        version: 3,
        type: 'IntegrationDeleted',
        payload: { integrationId: 'int-1', name: 'ERP' },
        timestamp: new Date(0),
        metadata: { eventId: 'e-1', correlationId: 'c-1' },
      },
      '/integrations/registry',
    ),
  ).replace('"name":"ERP"', `"name":${JSON.stringify(name)}`);

describe('parseMessage', () => {
  it('accepts a valid event and types it', () => {
    const parsed = parseMessage(incoming(deleted('ERP')));
    if (parsed.kind !== 'known' || parsed.event.type !== 'IntegrationDeleted')
      throw new Error(`parsed as ${parsed.kind} ${parsed.event.type}`);
    expect(describeIntegrationEvent(parsed.event)).toBe('integration int-1 deleted ("ERP")');
  });

  it('turns a contract violation into a dead-letter reason that names the field, not the value', () => {
    let error: unknown;
    try {
      parseMessage(incoming(deleted(12345)));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidMessageError);
    expect((error as Error).message).toMatch(/data\.name/);
    expect((error as Error).message).not.toContain('12345');
  });

  it('rejects tombstones', () => {
    expect(() => parseMessage(incoming(null))).toThrow(InvalidMessageError);
  });

  it('lets unknown event types through for the handler to skip', () => {
    const future = JSON.parse(deleted('ERP')) as Record<string, unknown>;
    future.type = 'IntegrationRenamedInTheFuture';
    expect(parseMessage(incoming(JSON.stringify(future))).kind).toBe('unknown');
  });
});
