import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { connectMongo } from '@integrations/event-store';
import { waitFor } from '@integrations/testing';
import type mongoose from 'mongoose';
import pino from 'pino';
import { CallbackServer, OauthHarness } from '../../test/support/oauth-harness';
import { parseTokenReply, signed, type Credentials, type ForwardedRequest } from '../../test/support/partner-client';
import { CONSUMERS_COLLECTION } from '../consumer/consumer.store';
import { PARTNER_NOTIFICATIONS_COLLECTION } from '../notifications/notification-queue';
import { parseKeyList } from '../crypto/encryption-keys';
import { SecretBox } from '../crypto/secret-box';
import { startOauth, type RunningOauth } from '../start';
import { TOKENS_COLLECTION } from '../token/token.store';
import { resealDocument, type SealedDocument } from './reseal-values';
import { SEALED_COLLECTIONS } from './sealed-fields';

/**
 * Key rotation end to end on real Kafka + FerretDB: secrets issued under key A through the service's
 * API, rotation to B, `npm run oauth:reseal` (as a process) while the service answers signed calls,
 * then the service restarted WITHOUT key A still verifies calls and completes exchanges.
 */

const REPO = path.resolve(__dirname, '../../../..');
jest.setTimeout(180_000);

let harness: OauthHarness;
let callback: CallbackServer;
let connection: mongoose.Connection;
let service: RunningOauth | undefined;
let keyA: string;
let keyB: string;
/** Every value sealed in the database, opened with key A before the rotation. */
const plaintexts = new Map<string, string>();
/** Key material and issued secrets: none may appear in the command's output. */
const neverPrinted: string[] = [];

// Set up through the API as a partner would: the access token of X (after a reauthorize, so a
// revoked row without secret too), Y's request token (secret + verifier), Z's pending verifier row.
let x: { consumer: Credentials; token: Credentials };
let y: { consumer: Credentials; requestToken: Credentials; verifier: string };
let z: { consumer: Credentials; verifier: string };

const newKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const db = () => connection.db!;

beforeAll(async () => {
  harness = await OauthHarness.start();
  callback = await CallbackServer.start();
  // The overlap keeps a rotated consumer secret sealed beside the current one (consumers.previousSecret).
  await harness.setSettings({
    'oauth/consumer/outbound_allowlist': '127.0.0.1',
    'oauth/consumer/secret_rotation_overlap': 3_600,
  });
  keyA = harness.oauth.env.OAUTH_ENCRYPTION_KEYS!;
  keyB = newKey('rot2');
  neverPrinted.push(keyA.split(':')[1], keyB.split(':')[1]);
  connection = await connectMongo(harness.oauth.env.MONGO_URL, harness.oauth.env.OAUTH_DB);
});

afterAll(async () => {
  await service?.close();
  await connection?.close();
  await callback?.close();
  await harness?.close();
});

async function exchange(integrationId: string): Promise<{ consumer: Credentials; verifier: string }> {
  await harness.createIntegration(integrationId);
  const before = callback.posts.length;
  const reply = await harness.credentials(integrationId, {
    mode: 'exchange',
    reauthorize: false,
    callbackUrl: callback.url,
    storeBaseUrl: 'https://shop.example.com/',
  });
  expect(reply.status).toBe(200);
  expect(callback.posts).toHaveLength(before + 1);
  const form = callback.posts.at(-1)!.form;
  const consumer = { key: form.get('oauth_consumer_key')!, secret: form.get('oauth_consumer_secret')! };
  neverPrinted.push(consumer.secret, form.get('oauth_verifier')!);
  return { consumer, verifier: form.get('oauth_verifier')! };
}

/** The oauth verify endpoints' answers (api-call: ok/code; token-*: the status and body to relay). */
interface VerifyReply {
  ok?: boolean;
  status?: number;
  body?: string;
}

async function verify(url: string, route: string, request: ForwardedRequest): Promise<VerifyReply> {
  const response = await fetch(`${url}/oauth/verify/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as VerifyReply;
}

const apiCall = (url: string, credentials: { consumer: Credentials; token: Credentials }) =>
  verify(url, 'api-call', signed({ method: 'GET', path: '/rest/V1/products', ...credentials }));

/** The oauth service on the harness's database and topics, with other keys. */
async function startWithKeys(keys: string, activeKeyId: string): Promise<RunningOauth> {
  const env = harness.oauth.env;
  return startOauth(
    {
      MONGO_URL: env.MONGO_URL,
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      OAUTH_PORT: 0,
      OAUTH_DB: env.OAUTH_DB,
      OAUTH_TOPIC_PREFIX: env.OAUTH_TOPIC_PREFIX,
      OAUTH_ENCRYPTION_KEYS: keys,
      OAUTH_ENCRYPTION_ACTIVE_KEY_ID: activeKeyId,
      REGISTRY_URL: harness.registry.url,
    },
    { logger: pino({ level: 'warn' }) },
  );
}

/** `npm run oauth:reseal -- ...` as a process, with the keys given. */
function runReseal(
  args: string[],
  keys: string,
  activeKeyId: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/oauth/src/cli/reseal.ts', ...args], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        MONGO_URL: harness.oauth.env.MONGO_URL,
        OAUTH_DB: harness.oauth.env.OAUTH_DB,
        OAUTH_ENCRYPTION_KEYS: keys,
        OAUTH_ENCRYPTION_ACTIVE_KEY_ID: activeKeyId,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `<collection>/<_id>.<field>` -> the sealed value, for every sealed field the re-seal knows. */
async function sealedValues(): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const spec of SEALED_COLLECTIONS) {
    for (const document of await db().collection<SealedDocument>(spec.collection).find({}).toArray()) {
      for (const { field } of spec.fields) {
        if (typeof document[field] === 'string')
          values.set(`${spec.collection}/${document._id}.${field}`, document[field] as string);
      }
    }
  }
  return values;
}

function openAll(values: Map<string, string>, box: SecretBox): Map<string, string> {
  const contexts = new Map(
    SEALED_COLLECTIONS.flatMap((spec) => spec.fields.map((f) => [`${spec.collection}.${f.field}`, f.context] as const)),
  );
  return new Map(
    [...values].map(([where, sealed]) => {
      const [collection, rest] = where.split('/');
      const dot = rest.lastIndexOf('.');
      const context = contexts.get(`${collection}.${rest.slice(dot + 1)}`)!;
      return [where, box.open(sealed, context(rest.slice(0, dot)))];
    }),
  );
}

const expectNothingSecretIn = (output: string) => {
  const leaked = neverPrinted.filter((secret) => output.includes(secret));
  expect(leaked).toEqual([]);
};

describe('oauth:reseal (key rotation)', () => {
  it('given secrets issued under key A through the API, every sealed value is one the re-seal knows about', async () => {
    const xId = randomUUID();
    await harness.createIntegration(xId);
    await harness.credentials(xId, { mode: 'tokens', reauthorize: false });
    const reauthorized = (await harness.credentials(xId, { mode: 'tokens', reauthorize: true })).body;
    await harness.activate(xId);
    x = {
      consumer: { key: reauthorized.consumerKey, secret: reauthorized.consumerSecret },
      token: { key: reauthorized.accessToken, secret: reauthorized.accessTokenSecret },
    };
    neverPrinted.push(x.consumer.secret, x.token.secret);
    expect(await apiCall(harness.url, x)).toMatchObject({ ok: true, integrationId: xId });
    // "Rotate consumer secret": X's secret above becomes the previous one, still signing for the
    // overlap, so the checks below that sign with it also prove the re-sealed previous secret opens.
    const rotated = await harness.post(`/integrations/${xId}/consumer-secret/rotation`, {
      mode: 'tokens',
      integration: { status: 'active', version: 1 },
    });
    expect([rotated.status, rotated.body.previousSecretExpiresAt]).toEqual([200, expect.any(String)]);
    neverPrinted.push(rotated.body.consumerSecret);
    expect(await apiCall(harness.url, x)).toMatchObject({ ok: true, integrationId: xId });
    // A partner notification waiting for its next attempt (nothing listens on port 9) keeps a sealed
    // copy of X's consumer secret.
    await harness.integrationEvent(xId, 'IntegrationUpdated', {
      changes: { callbackUrl: 'http://127.0.0.1:9/notify' },
    });
    await harness.integrationEvent(xId, 'IntegrationReauthorized', { mode: 'tokens' });
    await waitFor(async () => (await db().collection(PARTNER_NOTIFICATIONS_COLLECTION).countDocuments()) === 1, {
      message: 'the partner notification queued',
    });

    const yExchange = await exchange(randomUUID());
    const request = await harness.tokenRequest(signed({ path: '/oauth/token/request', consumer: yExchange.consumer }));
    expect(request.status).toBe(200);
    y = { ...yExchange, requestToken: parseTokenReply(request.body) };
    neverPrinted.push(y.requestToken.secret);
    z = await exchange(randomUUID());

    // Scan the whole database: a sealed value outside SEALED_COLLECTIONS would survive a rotation.
    const found = new Set<string>();
    for (const { name } of await db().listCollections().toArray()) {
      for (const document of await db().collection(name).find({}).toArray()) {
        for (const [field, value] of Object.entries(document)) {
          if (typeof value === 'string' && value.startsWith('gcm1:')) found.add(`${name}.${field}`);
        }
        expect(JSON.stringify(document).replace(/"(secret|previousSecret|verifier)":"gcm1:[^"]*"/g, '')).not.toContain(
          'gcm1:',
        );
      }
    }
    const known = SEALED_COLLECTIONS.flatMap((spec) => spec.fields.map((f) => `${spec.collection}.${f.field}`));
    expect([...found].sort()).toEqual([...known].sort());

    const values = await sealedValues();
    // 3 consumers and X's previous secret, X's live access token (its revoked one has no secret),
    // Y's request row and Z's verifier row (secret + verifier each), X's queued notification.
    expect(values.size).toBe(3 + 1 + 1 + 2 + 2 + 1);
    for (const [where, plaintext] of openAll(values, new SecretBox(parseKeyList(keyA), 'test1')))
      plaintexts.set(where, plaintext);
    expect([...values.values()].every((sealed) => SecretBox.keyIdOf(sealed) === 'test1')).toBe(true);
  });

  it('a dry run after the rotation counts what is left and changes nothing', async () => {
    await harness.oauth.close();
    service = await startWithKeys(`${keyA},${keyB}`, 'rot2');
    const before = await sealedValues();
    const run = await runReseal(['--dry-run'], `${keyA},${keyB}`, 'rot2');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dry run: would re-seal 10, already current 0, unreadable 0');
    expect(await sealedValues()).toEqual(before);
    expectNothingSecretIn(run.stdout);
  });

  it('--help prints the usage and does nothing; an unknown option exits 64 naming it', async () => {
    const before = await sealedValues();
    const help = await runReseal(['--help'], `${keyA},${keyB}`, 'rot2');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: npm run oauth:reseal -- /);
    expect(help.stdout).not.toContain('re-sealing the stored secrets');
    const unknown = await runReseal(['--force'], `${keyA},${keyB}`, 'rot2');
    expect(unknown.code).toBe(64);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^Unknown option '--force'\nusage: /);
    const positional = await runReseal(['dry-run'], `${keyA},${keyB}`, 'rot2');
    expect(positional.code).toBe(64);
    expect(positional.stderr).toMatch(/^Unexpected argument 'dry-run'/);
    expect(await sealedValues()).toEqual(before);
  });

  it('re-seals every value with the active key while the service answers signed calls from warm caches', async () => {
    expect(await apiCall(service!.url, x)).toMatchObject({ ok: true }); // warm the caches
    let stop = false;
    const calls: VerifyReply[] = [];
    const load = (async () => {
      while (!stop) calls.push(await apiCall(service!.url, x));
    })();
    const run = await runReseal(['--batch-size', '2', '--progress-every', '3'], `${keyA},${keyB}`, 'rot2').finally(
      () => (stop = true),
    );
    await load;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  consumers: 3/3 documents, re-sealed 4, already current 0, unreadable 0');
    expect(run.stdout).toMatch(/ {2}tokens: 3\/4 documents, re-sealed \d, /); // progress every 3 documents
    expect(run.stdout).toContain('  tokens: 4/4 documents, re-sealed 5, already current 0, unreadable 0');
    expect(run.stdout).toContain('re-sealed 10, already current 0, unreadable 0');
    expectNothingSecretIn(run.stdout + run.stderr);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((reply) => reply.ok)).toBe(true);

    const after = await sealedValues();
    expect([...after.keys()].sort()).toEqual([...plaintexts.keys()].sort());
    expect([...after.values()].every((sealed) => SecretBox.keyIdOf(sealed) === 'rot2')).toBe(true);
    expect(openAll(after, new SecretBox(parseKeyList(keyB), 'rot2'))).toEqual(plaintexts);

    // Past the cache TTL the running service reads the re-sealed rows.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await apiCall(service!.url, x)).toMatchObject({ ok: true });
  });

  it('a second run finds nothing to do', async () => {
    const before = await sealedValues();
    const run = await runReseal([], `${keyA},${keyB}`, 'rot2');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('re-sealed 0, already current 10, unreadable 0');
    expect(await sealedValues()).toEqual(before);
  });

  it('with key A removed, the service verifies signed calls and completes both pending exchanges', async () => {
    await service!.close();
    service = await startWithKeys(keyB, 'rot2');
    expect(await apiCall(service.url, x)).toMatchObject({ ok: true });

    const yAccess = await verify(
      service.url,
      'token-access',
      signed({
        path: '/oauth/token/access',
        consumer: y.consumer,
        token: y.requestToken,
        oauth: { oauth_verifier: y.verifier },
      }),
    );
    expect(yAccess).toMatchObject({
      status: 200,
      body: expect.stringMatching(/^oauth_token=[0-9a-z]{32}&oauth_token_secret=[0-9a-z]{32}$/),
    });
    const zRequest = await verify(
      service.url,
      'token-request',
      signed({ path: '/oauth/token/request', consumer: z.consumer }),
    );
    expect(zRequest).toMatchObject({ status: 200 });
    const zAccess = await verify(
      service.url,
      'token-access',
      signed({
        path: '/oauth/token/access',
        consumer: z.consumer,
        token: parseTokenReply(zRequest.body!),
        oauth: { oauth_verifier: z.verifier },
      }),
    );
    expect(zAccess).toMatchObject({ status: 200 });
  });

  it('a value sealed with a key nobody has is reported by key id, left as is, and fails the run', async () => {
    const lost = new SecretBox(parseKeyList(newKey('lost9')), 'lost9');
    const id = `reseal-it-${randomUUID()}`;
    const integrationId = randomUUID();
    const sealed = lost.seal('unrecoverable', `token:${id}:secret`);
    await db().collection<SealedDocument>(TOKENS_COLLECTION).insertOne({
      _id: id,
      consumerId: 'c',
      integrationId,
      type: 'access',
      secret: sealed,
      reauthorize: false,
      createdAt: new Date(),
      revoked: false,
      revokedAt: null,
      expiresAt: null,
    });

    const run = await runReseal(['--dry-run'], keyB, 'rot2');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('unreadable 1 (key ids: lost9 x1)');
    expect(run.stdout).toContain(`unreadable: tokens.secret of integration ${integrationId}: unknown key "lost9"`);
    const real = await runReseal([], keyB, 'rot2');
    expect(real.code).toBe(1);
    expect(real.stdout).toMatch(/re-sealed 0, already current \d+, unreadable 1 \(key ids: lost9 x1\)/);
    expect(real.stdout).not.toContain('unrecoverable');
    expect((await db().collection<SealedDocument>(TOKENS_COLLECTION).findOne({ _id: id }))?.secret).toBe(sealed);
    await db().collection<SealedDocument>(TOKENS_COLLECTION).deleteOne({ _id: id });
  });
});

describe('resealDocument (compare-and-set)', () => {
  const tokens = SEALED_COLLECTIONS.find((spec) => spec.collection === TOKENS_COLLECTION)!;
  const consumers = SEALED_COLLECTIONS.find((spec) => spec.collection === CONSUMERS_COLLECTION)!;
  let old: SecretBox;
  let box: SecretBox;

  beforeAll(() => {
    const keys = parseKeyList(`${newKey('old1')},${newKey('new2')}`);
    old = new SecretBox(keys, 'old1');
    box = new SecretBox(keys, 'new2');
  });

  it('does not bring back a secret the service removed after it was read (a revoke)', async () => {
    const collection = db().collection<SealedDocument>(TOKENS_COLLECTION);
    const id = `cas-${randomUUID()}`;
    await collection.insertOne({
      _id: id,
      integrationId: 'i',
      secret: old.seal('s1', `token:${id}:secret`),
      revoked: false,
    });
    const read = (await collection.findOne({ _id: id }))!;
    await collection.updateOne({ _id: id }, { $set: { revoked: true }, $unset: { secret: '' } });

    const outcome = await resealDocument(collection, tokens, read, box, { dryRun: false });
    expect(outcome).toMatchObject({ resealed: 0, busy: false });
    expect(await collection.findOne({ _id: id })).toEqual({ _id: id, integrationId: 'i', revoked: true });
    await collection.deleteOne({ _id: id });
  });

  it('re-seals the value written concurrently, not the one it read', async () => {
    const collection = db().collection<SealedDocument>(CONSUMERS_COLLECTION);
    const id = `cas-${randomUUID()}`;
    await collection.insertOne({ _id: id, integrationId: 'i', secret: old.seal('first', `consumer:${id}:secret`) });
    const read = (await collection.findOne({ _id: id }))!;
    await collection.updateOne({ _id: id }, { $set: { secret: old.seal('second', `consumer:${id}:secret`) } });

    expect(await resealDocument(collection, consumers, read, box, { dryRun: false })).toMatchObject({
      resealed: 1,
      busy: false,
    });
    const stored = (await collection.findOne({ _id: id }))!.secret as string;
    expect(SecretBox.keyIdOf(stored)).toBe('new2');
    expect(box.open(stored, `consumer:${id}:secret`)).toBe('second');
    await collection.deleteOne({ _id: id });
  });

  it('reports a document deleted meanwhile as gone', async () => {
    const collection = db().collection<SealedDocument>(CONSUMERS_COLLECTION);
    const id = `cas-${randomUUID()}`;
    await collection.insertOne({ _id: id, integrationId: 'i', secret: old.seal('x', `consumer:${id}:secret`) });
    const read = (await collection.findOne({ _id: id }))!;
    await collection.deleteOne({ _id: id });
    expect(await resealDocument(collection, consumers, read, box, { dryRun: false })).toMatchObject({
      resealed: 0,
      vanished: true,
    });
    expect(await collection.countDocuments({ _id: id })).toBe(0);
  });
});
