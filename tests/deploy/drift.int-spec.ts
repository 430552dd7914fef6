import { PLATFORM_SERVICES } from '@integrations/contracts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { checkEnvironment, checkNetwork, type Mismatch, newTally } from './support/drift';
import { deploymentModel, exampleEdges, expectedEdges } from './support/expected-edges';
import { NetworkPolicies } from './support/network-policy';
import {
  blocksOf,
  normalizeTables,
  secretsBlock,
  settingsBlock,
  topicsBlock,
  withBlocks,
  workloadsBlock,
} from './support/readme';
import { REPO_ROOT, renderCompose, renderOverlay } from './support/render';
import { generatedSecrets } from './support/secrets';
import { composeContainers, overlayContainers } from './support/workloads';

/**
 * Drift between the rendered manifests (k8s/overlays/dev, k8s/overlays/prod, docker-compose.yml),
 * the code they run and the call graph (libs/contracts/src/call-graph.ts):
 *  - every variable a manifest sets is read by the code of its image, every variable the code
 *    requires is set, every value passes the image's own env schema, the listening port is the
 *    container's;
 *  - the `<SERVICE>_URL` variables a service reads and its Kafka use are the call graph's edges;
 *  - the NetworkPolicies allow every edge of the call graph and nothing else.
 * The counts are printed at the end.
 */

const tally = newTally();
const secrets = generatedSecrets();
const sources = {
  dev: () => overlayContainers('dev', renderOverlay('dev'), secrets),
  prod: () => overlayContainers('prod', renderOverlay('prod'), secrets),
  compose: () => composeContainers(renderCompose({})),
};

afterAll(() => {
  process.stdout.write(
    `deploy drift: ${tally.variables} variables checked, ${tally.edges} edges checked, ` +
      `${tally.mismatches.length} mismatches\n`,
  );
});

function expectNoMismatch(found: Mismatch[]): void {
  expect(found.map((m) => `${m.check}: ${m.detail}`)).toEqual([]);
}

describe.each(Object.keys(sources) as Array<keyof typeof sources>)('%s: the environment against the code', (source) => {
  it('sets only what the code reads, everything it requires, values its schema accepts, and the call graph', () => {
    const before = tally.mismatches.length;
    const containers = sources[source]();
    expect(containers.length).toBeGreaterThanOrEqual(5);
    checkEnvironment(containers, tally);
    expectNoMismatch(tally.mismatches.slice(before));
  });
});

describe.each(['dev', 'prod'] as const)('%s: NetworkPolicies against the call graph', (overlay) => {
  it('allow every edge of the call graph and nothing else', () => {
    const objects = renderOverlay(overlay);
    const model = deploymentModel(objects, overlayContainers(overlay, objects, secrets));
    const policies = new NetworkPolicies(objects);
    const before = tally.mismatches.length;
    checkNetwork(model, policies, expectedEdges(model, exampleEdges(model)), tally);
    expectNoMismatch(tally.mismatches.slice(before));
  });
});

describe('k8s/README.md', () => {
  it('its generated tables are the manifests and the topic catalogue (UPDATE_K8S_README=1 rewrites them)', () => {
    const objects = { dev: renderOverlay('dev'), prod: renderOverlay('prod') };
    const withContainers = (overlay: 'dev' | 'prod') => ({
      objects: objects[overlay],
      containers: overlayContainers(overlay, objects[overlay], secrets),
    });
    const expected = {
      workloads: workloadsBlock(objects),
      settings: settingsBlock({ dev: withContainers('dev'), prod: withContainers('prod') }),
      topics: topicsBlock(),
      secrets: secretsBlock(objects),
    };
    const file = join(REPO_ROOT, 'k8s/README.md');
    if (process.env.UPDATE_K8S_README === '1') {
      writeFileSync(file, withBlocks(readFileSync(file, 'utf8'), expected));
      execFileSync('npx', ['prettier', '--write', file], { cwd: REPO_ROOT, stdio: 'ignore' });
    }
    const found = blocksOf(readFileSync(file, 'utf8'));
    for (const [name, content] of Object.entries(expected)) {
      expect(`${name}:\n${normalizeTables(found[name] ?? '(missing)')}`).toBe(`${name}:\n${normalizeTables(content)}`);
    }
  });
});

describe.each(['dev', 'prod'] as const)('%s: replicas and rollouts', (overlay) => {
  it('every service: 2 replicas or more, RollingUpdate without unavailability, a PDB that lets a rollout and a drain through, readiness on the draining path', () => {
    const objects = renderOverlay(overlay);
    const facts = PLATFORM_SERVICES.map((service) => {
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === service)!;
      const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === service);
      const pdb = objects.find(
        (o) => o.kind === 'PodDisruptionBudget' && o.spec.selector.matchLabels['app.kubernetes.io/name'] === service,
      );
      const pod = deployment.spec.template.spec;
      const minReplicas = hpa ? hpa.spec.minReplicas : deployment.spec.replicas;
      return {
        service,
        minReplicas: minReplicas >= 2,
        // An HPA owns the count: a `replicas` in the manifest would reset it at every apply.
        replicasLeftToHpa: hpa ? deployment.spec.replicas === undefined : true,
        hpa: Boolean(hpa) === ['gateway', 'oauth', 'acl'].includes(service),
        strategy: `${deployment.spec.strategy.type} ${deployment.spec.strategy.rollingUpdate?.maxUnavailable}`,
        pdbAllowsOneDown: pdb?.spec.maxUnavailable === 1 && pdb.spec.minAvailable === undefined,
        readiness: pod.containers[0].readinessProbe.httpGet.path,
        readinessWithin5s:
          pod.containers[0].readinessProbe.periodSeconds * pod.containers[0].readinessProbe.failureThreshold <= 5,
        grace: pod.terminationGracePeriodSeconds >= 20,
        enableServiceLinks: pod.enableServiceLinks,
        metricsPort:
          deployment.spec.template.metadata.annotations['prometheus.io/port'] ===
          String(pod.containers[0].ports[0].containerPort),
      };
    });
    expect(facts).toEqual(
      PLATFORM_SERVICES.map((service) => ({
        service,
        minReplicas: true,
        replicasLeftToHpa: true,
        hpa: true,
        strategy: 'RollingUpdate 0',
        pdbAllowsOneDown: true,
        readiness: '/health/ready',
        readinessWithin5s: true,
        grace: true,
        enableServiceLinks: false,
        metricsPort: true,
      })),
    );
  });
});
