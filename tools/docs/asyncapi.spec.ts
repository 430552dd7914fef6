import { readFileSync } from 'node:fs';
import { eventRegistry, Topics } from '@integrations/contracts';
import { parse } from 'yaml';
import { ASYNCAPI_FILE, buildAsyncApi, EVENT_DOCS, renderAsyncApi } from './asyncapi';

type Doc = {
  channels: Record<string, { address: string; messages: Record<string, unknown> }>;
  components: {
    messages: Record<string, { summary?: string }>;
    schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
  };
};

describe('docs/asyncapi.yaml', () => {
  const committed = readFileSync(ASYNCAPI_FILE, 'utf8');
  const doc = parse(committed) as Doc;

  it('is what libs/contracts generates today (run `node -r @swc-node/register tools/docs/asyncapi.ts` when this fails)', () => {
    expect(committed).toBe(renderAsyncApi());
  });

  it('documents every contract event on the channel of its topic, with a summary', () => {
    for (const [type, definition] of Object.entries(eventRegistry)) {
      const channel = Object.values(doc.channels).find((c) => c.address === definition.topic);
      expect({ type, onChannel: Boolean(channel?.messages[type]) }).toEqual({ type, onChannel: true });
      expect(doc.components.messages[type]?.summary).toEqual(EVENT_DOCS[type as keyof typeof EVENT_DOCS].summary);
    }
  });

  it('has a channel for each of the three topics and nothing else', () => {
    expect(
      Object.values(doc.channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual(Object.values(Topics).sort());
  });

  it('describes payloads as the contracts validate them (strict objects, required fields)', () => {
    const created = doc.components.schemas.IntegrationCreatedData as {
      required: string[];
      additionalProperties: boolean;
    };
    expect(created.required).toEqual(expect.arrayContaining(['integrationId', 'name', 'resources', 'setupType']));
    expect(created.additionalProperties).toBe(false);
    const envelope = doc.components.schemas.CloudEvent;
    expect(envelope.required).toEqual(
      expect.arrayContaining([
        'specversion',
        'id',
        'source',
        'type',
        'subject',
        'time',
        'datacontenttype',
        'data',
        'sequence',
        'correlationid',
      ]),
    );
    expect(Object.keys(envelope.properties ?? {})).toEqual(
      expect.arrayContaining(['causationid', 'actor', 'schemaversion']),
    );
  });

  it('never documents a field that looks like a secret', () => {
    const text = JSON.stringify(buildAsyncApi().components);
    expect(text).not.toMatch(/"(consumerSecret|accessTokenSecret|tokenSecret|verifier|password)"/i);
  });
});
