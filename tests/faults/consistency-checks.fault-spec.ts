import { EventStore, type NewEvent } from '@integrations/event-store';
import { getTestInfra, uniqueName } from '@integrations/testing';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import {
  commandsInStore,
  type Databases,
  deletedHaveNoConsumers,
  projectionsBehind,
  projectionsVersusRebuild,
  readStore,
  storeVersusTopic,
  type TopicEvent,
} from './support/consistency';

/**
 * The fault suite's verdicts come from these checks: here they meet a lost event, a projection that
 * drifted from its rebuild and a leftover OAuth consumer, and must say so (a checker that cannot
 * fail would make the fault suite pass whatever happened).
 */
describe('fault suite consistency checks', () => {
  let dbs: Databases;
  const kept = randomUUID();
  const removed = randomUUID();

  beforeAll(async () => {
    const { mongoUrl } = await getTestInfra();
    const tag = uniqueName('faultcheck');
    const connect = (name: string) => mongoose.createConnection(mongoUrl, { dbName: `${tag}_${name}` }).asPromise();
    dbs = {
      registry: await connect('registry'),
      acl: await connect('acl'),
      oauth: await connect('oauth'),
      scratch: await connect('scratch'),
    };
    const store = new EventStore(dbs.registry, { collection: 'events' });
    await store.ensureIndexes();
    const event = (type: string, payload: object): NewEvent => ({
      type,
      payload,
      metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: 'ops' },
      timestamp: new Date(),
    });
    const created = (id: string, name: string) =>
      event('IntegrationCreated', {
        integrationId: id,
        name,
        email: null,
        callbackUrl: null,
        identityLinkUrl: null,
        resourceAccess: 'custom',
        resources: ['Magento_Catalog::catalog'],
        setupType: 'manual',
        insecure: false,
      });
    await store.append(kept, 0, [created(kept, 'kept')]);
    await store.append(kept, 1, [
      event('IntegrationUpdated', { integrationId: kept, changes: { email: 'a@example.com' } }),
    ]);
    await store.append(removed, 0, [created(removed, 'removed')]);
    await store.append(removed, 1, [event('IntegrationDeleted', { integrationId: removed, name: 'removed' })]);

    // "Live" projections that are right: the rebuild itself, copied where each service keeps them.
    const events = await readStore(dbs.registry);
    expect(await projectionsVersusRebuild(dbs, events)).toEqual(
      expect.arrayContaining([expect.stringMatching(/missing from the live projection/)]),
    );
    const copy = async (from: string, to: mongoose.Connection, name: string) =>
      to.db!.collection(name).insertMany(await dbs.scratch.db!.collection(from).find({}).toArray());
    await copy('registry_grid_rebuild', dbs.registry, 'integration_grid');
    await copy('registry_history_rebuild', dbs.registry, 'integration_history');
    await copy('acl_grants_rebuild', dbs.acl, 'grants');
    await copy('oauth_status_rebuild', dbs.oauth, 'integration_status');
  });

  afterAll(async () => {
    for (const connection of Object.values(dbs ?? {})) {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  });

  it('finds nothing when every projection equals its rebuild, and each drift when one does not', async () => {
    const events = await readStore(dbs.registry);
    expect(await projectionsVersusRebuild(dbs, events)).toEqual([]);
    expect(await projectionsBehind(dbs, events)).toEqual([]);

    await dbs.acl.db!.collection<{ _id: string }>('grants').updateOne({ _id: kept }, { $set: { status: 'active' } });
    await dbs.registry.db!.collection<{ _id: string }>('integration_history').deleteOne({ _id: `${removed}:2` });
    await dbs.oauth
      .db!.collection<{ _id: string }>('integration_status')
      .updateOne({ _id: removed }, { $set: { version: 1, status: 'inactive' } });
    expect(await projectionsBehind(dbs, events)).toEqual([
      `oauth integration status: ${removed} at version 1, the store at 2`,
    ]);
    const problems = await projectionsVersusRebuild(dbs, events);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^registry history: ${removed}:2 missing from the live projection`)),
      expect.stringMatching(new RegExp(`^acl grants: ${kept} differs\\n.*"status":"active".*\\n.*"status":"inactive"`)),
      expect.stringMatching(new RegExp(`^oauth integration status: ${removed} differs`)),
    ]);
  });

  it('reports a 2xx command without its event, a gap, and events missing from or extra on the topic', async () => {
    const events = await readStore(dbs.registry);
    expect(
      commandsInStore(
        [
          { kind: 'create', id: kept, version: 1 },
          { kind: 'delete', id: removed, version: 2 },
        ],
        events,
      ),
    ).toEqual([]);
    expect(
      commandsInStore(
        [
          { kind: 'update', id: kept, version: 3 },
          { kind: 'delete', id: kept, version: 2 },
        ],
        events,
      ),
    ).toEqual([
      `update ${kept}@3 answered 2xx but is not in the event store`,
      `delete ${kept}@2 stored as IntegrationUpdated`,
    ]);
    expect(
      commandsInStore(
        [],
        events.filter((event) => !(event.streamId === kept && event.version === 1)),
      ),
    ).toEqual([`stream ${kept} has versions 2`]);

    const topic: TopicEvent[] = events.map((event) => ({
      id: event.metadata.eventId,
      subject: event.streamId,
      sequence: event.version,
      type: event.type,
    }));
    expect(storeVersusTopic(events, topic)).toEqual([]);
    const stranger = randomUUID();
    expect(
      storeVersusTopic(events, [
        ...topic.slice(1),
        { id: randomUUID(), subject: stranger, sequence: 1, type: 'IntegrationCreated' },
      ]),
    ).toEqual([
      `${kept}@1 (IntegrationCreated) is not on the topic`,
      `${stranger}@1 is on the topic but not in the store`,
    ]);
  });

  it('reports an OAuth consumer a deleted integration kept', async () => {
    const events = await readStore(dbs.registry);
    const consumers = dbs.oauth.db!.collection<{ _id: string; integrationId: string }>('consumers');
    await consumers.insertOne({ _id: 'k'.repeat(32), integrationId: kept });
    expect(await deletedHaveNoConsumers(dbs, events)).toEqual([]);
    await consumers.insertOne({ _id: 'r'.repeat(32), integrationId: removed });
    expect(await deletedHaveNoConsumers(dbs, events)).toEqual([
      `oauth consumer for deleted integration ${removed} still exists`,
    ]);
  });
});
