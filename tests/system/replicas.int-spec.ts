import { readFileSync } from 'node:fs';
import { AdminClient } from './support/admin-client';
import { given, PRODUCTS } from './support/given-when-then';
import { AccessLog } from './support/nginx-access-log';
import { bootPlatform, type Platform } from './support/platform';
import { signedCall } from './support/signed-calls';

/**
 * The local multi-replica system itself (tools/run-local with `replicas: 2`): two processes of each
 * platform service behind NGINX, wired to each other through NGINX only, and a replica that leaves
 * the rotation, drains and comes back. The fault suite builds on this (tests/faults).
 */
const REPLICATED = ['config', 'acl', 'registry', 'oauth', 'gateway'];
const URL_VARIABLES = { REGISTRY_URL: 'registry', ACL_URL: 'acl', OAUTH_URL: 'oauth', CONFIG_URL: 'config' };

describe('the platform with two replicas of each service behind NGINX', () => {
  let platform: Platform;
  /** Tests that reached their end: logs and databases are kept unless all did. */
  let completed = 0;

  beforeAll(async () => {
    platform = await bootPlatform({ tag: 'replicas', replicas: 2, env: { SHUTDOWN_DRAIN_MS: '2000' } });
  }, 300_000);

  afterAll(async () => {
    await platform?.shutDown(completed === 3 && platform.unexpectedExits.length === 0);
  }, 120_000);

  const environOf = (pid: number) =>
    Object.fromEntries(
      readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );

  it('runs two ready processes of each, every one pointed at NGINX for the others', async () => {
    const { system } = platform;
    for (const service of REPLICATED) {
      const replicas = system.instances(service);
      expect(replicas.map((r) => r.id)).toEqual([`${service}-1`, `${service}-2`]);
      // NGINX answers on the service's address; each replica on its own port.
      expect(new Set([system.ports[service], ...replicas.map((r) => r.port)]).size).toBe(3);
      expect((await fetch(`${system.urls[service]}/health/ready`)).status).toBe(200);
      for (const replica of replicas) {
        expect({ replica: replica.id, status: (await fetch(`${replica.url}/health/ready`)).status }).toEqual({
          replica: replica.id,
          status: 200,
        });
        const env = environOf(replica.pid!);
        for (const [variable, target] of Object.entries(URL_VARIABLES))
          expect({ replica: replica.id, variable, value: env[variable] }).toEqual({
            replica: replica.id,
            variable,
            value: system.urls[target],
          });
      }
    }
    expect(system.instances('commerce-api')).toHaveLength(1);
    completed++;
  });

  it('serves signed calls through NGINX and through each gateway replica, spreading them over the replicas', async () => {
    const admin = await AdminClient.signIn(platform.gateway, platform.admin);
    const partner = await given.anActiveIntegration(admin, { name: `${platform.prefix}partner` });
    const log = new AccessLog(platform.system.logFiles['nginx-access']!);
    const mark = log.mark();
    await given.acceptedEverywhere(platform, partner.credentials!);
    for (const base of [platform.gateway, ...platform.gatewayReplicas()])
      expect(await signedCall(base, PRODUCTS, partner.credentials!)).toMatchObject({ via: base, status: 200 });
    // Requests to the gateway's NGINX port reached both gateway replicas.
    const gateways = log.upstreamsSince(mark, platform.system.ports.gateway!);
    expect([...gateways].sort()).toEqual(
      platform.system
        .instances('gateway')
        .map((r) => `127.0.0.1:${r.port}`)
        .sort(),
    );
    completed++;
  });

  it('takes a replica out of the rotation, drains it (readiness 503, still serving), restarts it and puts it back', async () => {
    const { system } = platform;
    const [registry1] = system.instances('registry');
    const seen: string[] = [];
    let watching = true;
    // What registry-1 itself answers while it is being rolled, and what NGINX answers meanwhile.
    const throughNginx: number[] = [];
    const watch = (async () => {
      while (watching) {
        const [ready, live, viaLb] = await Promise.all([
          fetch(`${registry1!.url}/health/ready`).then(
            (r) => `ready ${r.status}`,
            () => 'refused',
          ),
          fetch(`${registry1!.url}/health/live`).then(
            (r) => `live ${r.status}`,
            () => 'refused',
          ),
          fetch(`${system.urls.registry}/health/ready`).then(
            (r) => r.status,
            () => 0,
          ),
        ]);
        if (seen.at(-1) !== `${ready}/${live}`) seen.push(`${ready}/${live}`);
        throughNginx.push(viaLb);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const timings = await system.rollingRestart(registry1!.id);
    watching = false;
    await watch;
    platform.log(`rolling restart of ${registry1!.id}: ${JSON.stringify(timings)}; it answered ${seen.join(' -> ')}`);

    // Serving and ready, then draining (not ready, still alive), then gone, then back.
    expect(seen[0]).toBe('ready 200/live 200');
    expect(seen).toContain('ready 503/live 200');
    expect(seen.indexOf('ready 503/live 200')).toBeLessThan(seen.indexOf('refused/refused'));
    expect(seen.at(-1)).toBe('ready 200/live 200');
    expect(timings.stopMs).toBeGreaterThanOrEqual(2000);
    expect(system.instances('registry')[0]).toMatchObject({ running: true, inRotation: true });
    // NGINX never sent a probe to the replica while it was out.
    expect(throughNginx.filter((status) => status !== 200)).toEqual([]);
    completed++;
  });
});
