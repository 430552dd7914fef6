import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cloudEventEnvelope,
  eventRegistry,
  TOPIC_CATALOGUE,
  topicConfigs,
  Topics,
  type ContractEventType,
} from '@integrations/contracts';
import { stringify } from 'yaml';
import { z } from 'zod';

/**
 * docs/asyncapi.yaml is generated from libs/contracts, so the documented payloads are the schemas
 * the code validates with (zod -> JSON Schema). The prose lives here, one entry per event type: a
 * new event without a description fails `tools/docs/asyncapi.spec.ts`, as does a stale document.
 *
 *   node -r @swc-node/register tools/docs/asyncapi.ts     # rewrites docs/asyncapi.yaml
 */

/** One AsyncAPI channel per catalogue topic; the channel id is the topic's short name. */
const CHANNELS = TOPIC_CATALOGUE.map((entry) => ({
  id: (Object.keys(Topics) as Array<keyof typeof Topics>).find((id) => Topics[id] === entry.name)!,
  topic: entry.name,
  producer: entry.producer,
  key: entry.key,
  partitions: entry.partitions,
  description: entry.description,
  configs: topicConfigs(entry),
}));

/** Title + description of every contract event. Required: the spec fails on a missing one. */
export const EVENT_DOCS: Record<ContractEventType, { summary: string; description?: string }> = {
  IntegrationCreated: {
    summary: 'An admin (or a manifest, setup type `config`) registered an integration; status `inactive`.',
  },
  IntegrationUpdated: {
    summary: 'Fields of an integration changed.',
    description: '`changes` holds only the fields that changed; an update that changes nothing emits no event.',
  },
  IntegrationActivationStarted: {
    summary: 'Activation or reauthorization began.',
    description:
      'With `mode: exchange` the third party has not finished the OAuth handshake yet; IntegrationActivated or IntegrationReauthorized follows when it does.',
  },
  IntegrationActivated: {
    summary: 'The integration holds a valid access token (status `active`). No credential travels in the event.',
  },
  IntegrationReauthorized: {
    summary: 'The access token was rotated; the previous one no longer works (see TokensRevoked for when).',
  },
  IntegrationReset: {
    summary: "A config-based integration was recreated from its manifest (status `reset`, Magento's RECREATED).",
    description: 'Its consumer credentials are replaced; admins are notified to activate it again.',
  },
  IntegrationDeleted: {
    summary: 'The integration is gone: consumers revoke every credential and grant. `name` is free for reuse.',
  },
  IntegrationSuspended: {
    summary: 'An admin (or the manifest) suspended the integration: every call with its credentials is refused.',
    description:
      'Its consumer, tokens and activation status are kept, so IntegrationResumed restores access with the same credentials. In force on every gateway before the admin got the reply (docs/adr/0010).',
  },
  IntegrationResumed: {
    summary: 'A suspended integration may call again, with the credentials it holds.',
  },
  IntegrationExpired: {
    summary: 'The integration passed its expiry date-time (`expiresAt`); its calls are refused from then on.',
    description:
      'Published by the registry within seconds of `expiresAt` (calls are refused at `expiresAt` whatever the event), once per expiry: extending the date restores access, and another IntegrationExpired follows if the new date passes.',
  },
  IntegrationUsageRecorded: {
    summary: 'Aggregated API usage of an integration (not one event per call).',
    description: '`uses` is the running total, so a lost or repeated event only delays the figure, never skews it.',
  },
  ConsumerCreated: { summary: 'The integration got its OAuth consumer (key + secret) on its first activation.' },
  CredentialsIssued: {
    summary: 'Credentials left the oauth service.',
    description:
      '`tokens`: the four credentials were returned to the admin; `exchange`: the consumer key and secret were POSTed to the callback URL (the access token comes later, see AccessTokenGranted).',
  },
  ExchangeStarted: {
    summary:
      'Consumer credentials and a verifier were POSTed to the callback URL; the third party may call /oauth/token/request until `expiresAt`.',
  },
  AccessTokenGranted: {
    summary:
      'The third party completed /oauth/token/access; the registry answers by activating (or reauthorizing) the integration.',
  },
  TokensRevoked: {
    summary: 'Access tokens of the integration stop working at `effectiveAt`.',
    description:
      'At once, or after `oauth/access/reauthorize_grace_period` following a reauthorize. For `integration-deleted` and `integration-reset` the consumer is gone too.',
  },
  ConsumerSecretRotated: {
    summary: 'An admin replaced the consumer secret; the consumer key stays. No secret, nor part of one, travels here.',
    description:
      'With `mode: exchange` the new secret was POSTed to the callback URL (as at activation, without a verifier); with `tokens` the admin was shown it once. The previous secret keeps signing until `previousSecretExpiresAt` (`oauth/consumer/secret_rotation_overlap`; null: it stopped at once).',
  },
  ConfigChanged: {
    summary: 'Settings changed, all in one event; `previous` is null when the setting had its default.',
  },
  PartnerNotificationDelivered: {
    summary: "The integration's callback URL answered 2xx to a signed notification of an access change.",
    description:
      'One event per delivered notification (`integration.reauthorized`, `integration.deleted`, …); the format the partner receives is in examples/third-party-app/README.md. Neither the secret nor the signature travels here.',
  },
  PartnerNotificationFailed: {
    summary: 'An attempt to notify the partner failed (outbound guard, transport, or a non-2xx answer).',
    description:
      '`nextAttemptAt` is when it is retried (with backoff, from a queue in the oauth database); null when it was the last attempt.',
  },
};

const ENVELOPE_DOCS: Record<string, string> = {
  specversion: 'CloudEvents version.',
  id: 'Unique per event; a re-published event keeps its id.',
  source: 'The producing service: `/integrations/registry`, `/integrations/oauth` or `/integrations/config`.',
  type: 'The event type (see each message); consumers ignore types they do not know.',
  subject: 'The stream (aggregate) id; also the Kafka message key.',
  time: 'When the command that produced the event ran (ISO 8601).',
  datacontenttype: 'Always JSON.',
  data: 'The event payload; its schema depends on `type` (see each message).',
  sequence:
    'Extension: the stream version as a decimal string ("1", "2", … "10"). Compare numerically. Consumers are idempotent by (`subject`, `sequence`).',
  correlationid:
    'Extension: the request that started the chain (the `x-correlation-id` of the admin call); follow it through logs and events.',
  causationid: 'Extension: the id of the message that caused this one; absent when an HTTP request did.',
  actor: 'Extension: admin user name, integration id, or `system`.',
  schemaversion:
    'Extension: version of the `data` schema for this `type` (absent = 1). A consumer that does not know the version dead-letters the message.',
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return withoutDateTimePatterns(rest) as Record<string, unknown>;
}

/** zod spells `z.iso.datetime()` as `format: date-time` plus a page of regex; the format says it all. */
function withoutDateTimePatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDateTimePatterns);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, withoutDateTimePatterns(value)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  if (object.format === 'date-time') delete object.pattern;
  return object;
}

function envelopeSchema(): Record<string, unknown> {
  const schema = jsonSchema(cloudEventEnvelope);
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  for (const [name, description] of Object.entries(ENVELOPE_DOCS)) {
    if (properties[name]) properties[name] = { description, ...properties[name] };
  }
  return {
    description: 'CloudEvents 1.0, structured JSON mode: the value of every message on every topic.',
    ...schema,
  };
}

export function buildAsyncApi(): Record<string, unknown> {
  const types = Object.keys(eventRegistry) as ContractEventType[];
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { CloudEvent: envelopeSchema() };
  for (const type of types) {
    const definition = eventRegistry[type];
    const channel = CHANNELS.find((c) => c.topic === definition.topic);
    const docs = EVENT_DOCS[type];
    schemas[`${type}Data`] = jsonSchema(definition.schema);
    messages[type] = {
      name: type,
      title: type,
      summary: docs.summary,
      ...(docs.description ? { description: docs.description } : {}),
      contentType: 'application/cloudevents+json',
      headers: {
        type: 'object',
        properties: {
          'content-type': {
            type: 'string',
            const: 'application/cloudevents+json',
            description: 'Optional: read the value, not this header, to decide the format.',
          },
        },
      },
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEvent' },
          {
            type: 'object',
            required: ['type', 'data'],
            properties: {
              type: { const: type },
              source: { const: `/integrations/${channel?.producer ?? 'unknown'}` },
              schemaversion: { const: definition.schemaVersion },
              data: { $ref: `#/components/schemas/${type}Data` },
            },
          },
        ],
      },
      bindings: { kafka: { key: { type: 'string', description: channel?.key ?? '' }, bindingVersion: '0.5.0' } },
    };
  }

  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    const ofChannel = types.filter((type) => eventRegistry[type].topic === channel.topic);
    channels[channel.id] = {
      address: channel.topic,
      title: channel.topic,
      description: channel.description,
      messages: Object.fromEntries(ofChannel.map((type) => [type, { $ref: `#/components/messages/${type}` }])),
      bindings: {
        kafka: {
          topic: channel.topic,
          partitions: channel.partitions,
          topicConfiguration: {
            'cleanup.policy': [channel.configs['cleanup.policy']],
            'retention.ms': Number(channel.configs['retention.ms']),
            'retention.bytes': Number(channel.configs['retention.bytes']),
          },
          bindingVersion: '0.5.0',
        },
      },
    };
    const refs = ofChannel.map((type) => ({ $ref: `#/channels/${channel.id}/messages/${type}` }));
    operations[`publish${capitalise(channel.id)}Events`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channel.id}` },
      summary: `The ${channel.producer} service publishes ${channel.topic} (idempotent producer, acks=all).`,
      messages: refs,
    };
    operations[`consume${capitalise(channel.id)}Events`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channel.id}` },
      summary: `Subscribers of ${channel.topic}: validate with @integrations/contracts parseCloudEvent, be idempotent by (subject, sequence), ignore unknown types.`,
      messages: refs,
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Integrations platform events',
      version: '1.0.0',
      description: [
        'Kafka topics of the integrations platform. Every message value is a CloudEvent 1.0 in structured JSON mode;',
        'the key is the stream id (`subject`). Delivery is at least once and in order per key: consumers are',
        'idempotent by (`subject`, `sequence`). No secret ever appears in an event.',
        '',
        'Generated from `libs/contracts` by `tools/docs/asyncapi.ts`; do not edit by hand.',
        'Subscribe with `@integrations/contracts` (`parseCloudEvent`) and `@integrations/messaging`; see `examples/subscriber`.',
      ].join('\n'),
    },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'npm run infra:up (tools/infra/infra.sh)' },
      cluster: {
        host: 'integrations-kafka-bootstrap.kafka.svc:9092',
        protocol: 'kafka',
        description: 'Strimzi Kafka in Kubernetes (k8s/README.md)',
      },
    },
    channels,
    operations,
    components: { messages, schemas },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function renderAsyncApi(): string {
  return `# Generated by tools/docs/asyncapi.ts from libs/contracts. Do not edit: run\n#   node -r @swc-node/register tools/docs/asyncapi.ts\n${stringify(buildAsyncApi(), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

export const ASYNCAPI_FILE = join(__dirname, '../../docs/asyncapi.yaml');

if (require.main === module) {
  writeFileSync(ASYNCAPI_FILE, renderAsyncApi());
  process.stdout.write(`wrote ${ASYNCAPI_FILE}\n`);
}
