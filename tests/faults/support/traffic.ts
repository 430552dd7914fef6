import { type IntegrationCredentials, oauthAuthorization } from '@integrations/testing';
import { type CallRecord, timedFetch } from './call-log';

export type { IntegrationCredentials };

/** A 2xx admin command and what it reported: the event (id, version) it must have stored. */
export interface AcceptedCommand {
  kind: 'create' | 'update' | 'delete';
  id: string;
  version: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Read / write the admin API as JSON; bodies are read ad hoc.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Resources of the catalog the example integrations switch between (Magento ids). */
const RESOURCE_SETS = [
  ['Magento_Catalog::catalog', 'Magento_Catalog::products'],
  ['Magento_Catalog::catalog', 'Magento_Catalog::catalog_inventory'],
];

export class AdminTraffic {
  readonly calls: CallRecord[] = [];
  readonly accepted: AcceptedCommand[] = [];
  /** Integrations this loop may still change, with the version it last saw. */
  private readonly live = new Map<string, { name: string; version: number }>();
  private counter = 0;
  private stopped = false;
  private done?: Promise<void>;

  constructor(
    private readonly gateway: string,
    private readonly token: string,
    private readonly password: string,
    private readonly namePrefix: string,
  ) {}

  start(): void {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const step = this.counter++;
      const ids = [...this.live.keys()];
      // Keep a few integrations around; otherwise create, update and delete in turn.
      if (ids.length < 3 || step % 3 === 0) await this.create(step);
      else if (step % 3 === 1) await this.update(ids[step % ids.length]!, step);
      else await this.remove(ids[0]!);
      await sleep(100);
    }
  }

  private headers(extra: Record<string, string> = {}) {
    return {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${this.token}`,
      ...extra,
    };
  }

  private async command(
    what: string,
    path: string,
    init: RequestInit,
    kind: AcceptedCommand['kind'],
    knownId?: string,
  ): Promise<Json> {
    const accept = (status: number) => status >= 200 && status < 300;
    const { record, body } = await timedFetch(
      'admin',
      what,
      `${this.gateway}${path}`,
      { ...init, headers: this.headers(init.headers as Record<string, string>) },
      accept,
    );
    this.calls.push(record);
    if (record.outcome !== 'http' || !accept(record.status!)) return undefined;
    const reply = body as Json;
    const id = typeof reply?.id === 'string' ? reply.id : knownId;
    if (!id || typeof reply?.version !== 'number')
      throw new Error(`${what} answered ${record.status} without id+version: ${JSON.stringify(reply)}`);
    this.accepted.push({ kind, id, version: reply.version });
    return reply;
  }

  private body(name: string, step: number) {
    return {
      name,
      email: `ops+${step}@example.com`,
      resourceAccess: 'custom',
      resources: RESOURCE_SETS[step % RESOURCE_SETS.length],
      currentPassword: this.password,
    };
  }

  private async create(step: number) {
    const name = `${this.namePrefix}-${step}`;
    const reply = await this.command(
      'POST /admin/v1/integrations',
      '/admin/v1/integrations',
      { method: 'POST', body: JSON.stringify(this.body(name, step)) },
      'create',
    );
    if (reply) this.live.set(reply.id, { name, version: reply.version });
  }

  private async update(id: string, step: number) {
    const current = this.live.get(id)!;
    const reply = await this.command(
      'PUT /admin/v1/integrations/:id',
      `/admin/v1/integrations/${id}`,
      {
        method: 'PUT',
        body: JSON.stringify(this.body(current.name, step)),
        headers: { 'if-match': `"${current.version}"` },
      },
      'update',
      id,
    );
    // A failed command may still have been stored (killed after the append): the version is unknown
    // now, so this loop lets the integration be rather than provoke 409s.
    if (reply) current.version = reply.version;
    else this.live.delete(id);
  }

  private async remove(id: string) {
    const current = this.live.get(id)!;
    this.live.delete(id);
    await this.command(
      'DELETE /admin/v1/integrations/:id',
      `/admin/v1/integrations/${id}?expectedVersion=${current.version}`,
      { method: 'DELETE' },
      'delete',
      id,
    );
  }
}

/** Signed GETs through the gateway to the example commerce API, round robin over active integrations. */
export class SignedTraffic {
  readonly calls: CallRecord[] = [];
  private stopped = false;
  private done: Promise<void>[] = [];

  constructor(
    private readonly gateway: string,
    private readonly integrations: IntegrationCredentials[],
    private readonly workers = 2,
  ) {}

  start(): void {
    for (let worker = 0; worker < this.workers; worker++) this.done.push(this.loop(worker));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.done);
  }

  private async loop(worker: number): Promise<void> {
    let i = worker;
    while (!this.stopped) {
      const credentials = this.integrations[i++ % this.integrations.length]!;
      this.calls.push(await signedGet(this.gateway, '/rest/V1/products', credentials));
      await sleep(100);
    }
  }
}

/** One signed GET (HMAC-SHA256, as Magento 2.4.4+), recorded. */
export async function signedGet(
  gateway: string,
  path: string,
  credentials: IntegrationCredentials,
): Promise<CallRecord> {
  const url = `${gateway}${path}`;
  const { record } = await timedFetch(
    'signed',
    `GET ${path}`,
    url,
    { headers: { authorization: oauthAuthorization('GET', url, credentials), accept: 'application/json' } },
    (status) => status === 200,
  );
  return record;
}
