import {
  EXTERNAL_CALLS,
  HTTP_CALLS,
  PLATFORM_SERVICES,
  type ExternalSystem,
  type PlatformService,
} from '@integrations/contracts';
import { BlockList, isIP } from 'node:net';
import { restrictedKind } from '../../../apps/oauth/src/credentials/post-credentials/outbound-guard';
import { type Destination, matches, type Pod, type Source } from './network-policy';
import type { K8sObject } from './render';
import { MONGO_SERVICE } from './secrets';
import type { Container } from './workloads';

/** A connection the deployment is meant to allow, as a predicate over (source, destination). */
export interface ExpectedEdge {
  why: string;
  allows(from: Source, to: Destination): boolean;
}

/** Where a `host:port` or URL of a manifest leads, seen from `namespace`. */
type Target = { kind: 'pods'; pods: Pod[]; port: number } | { kind: 'namespace'; namespace: string; port: number };

/**
 * Addresses that are never a partner's though the SSRF guard may let them through (documentation,
 * relay and IETF ranges; in IPv6 everything outside global unicast 2000::/3): the NetworkPolicy is
 * stricter there on purpose (k8s/base/network-policies.yaml, oauth-partner-callbacks).
 */
const NOT_A_PARTNER = new BlockList();
for (const [network, prefix] of [
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
] as const)
  NOT_A_PARTNER.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
] as const)
  NOT_A_PARTNER.addSubnet(network, prefix, 'ipv6');
const GLOBAL_UNICAST_V6 = new BlockList();
GLOBAL_UNICAST_V6.addSubnet('2000::', 3, 'ipv6');

/** A partner's callback address: the SSRF guard calls it public, and it is global unicast. */
export function isPartnerAddress(address: string): boolean {
  if (restrictedKind(address) !== undefined) return false;
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (type === 'ipv6' && !GLOBAL_UNICAST_V6.check(address, 'ipv6')) return false;
  return !NOT_A_PARTNER.check(address, type);
}

export interface DeploymentModel {
  namespace: string;
  pods: Map<string, Pod & { container: Container }>;
  objects: K8sObject[];
}

/** The rendered overlay as pods (one per workload) and its objects. */
export function deploymentModel(objects: K8sObject[], containers: Container[]): DeploymentModel {
  const namespace = containers[0]!.namespace;
  const pods = new Map<string, Pod & { container: Container }>();
  for (const container of containers) {
    pods.set(container.workload, {
      namespace,
      labels: container.labels,
      ports: container.ports,
      container,
    });
  }
  return { namespace, pods, objects };
}

/** `http://registry:3001`, `kafka.ns.svc:9092`: the pods (this namespace) or namespace it reaches. */
export function resolveTarget(model: DeploymentModel, hostPort: string): Target {
  const url = new URL(hostPort.includes('://') ? hostPort : `tcp://${hostPort}`);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const parts = url.hostname.split('.');
  const inCluster = parts.length === 1 || parts[2] === 'svc';
  if (!inCluster) throw new Error(`${hostPort} is outside the cluster`);
  const namespace = parts[1] ?? model.namespace;
  if (namespace !== model.namespace) return { kind: 'namespace', namespace, port };
  const service = model.objects.find((o) => o.kind === 'Service' && o.metadata.name === parts[0]);
  if (!service) throw new Error(`${hostPort}: no Service ${parts[0]} in namespace ${namespace}`);
  const servicePort = (service.spec.ports as Array<{ port: number; targetPort?: string | number }>).find(
    (p) => p.port === port,
  );
  if (!servicePort) throw new Error(`${hostPort}: Service ${parts[0]} has no port ${port}`);
  const pods = [...model.pods.values()].filter((pod) => matches({ matchLabels: service.spec.selector }, pod.labels));
  if (pods.length === 0) throw new Error(`${hostPort}: Service ${parts[0]} selects no pod`);
  const target = servicePort.targetPort ?? port;
  const podPort =
    typeof target === 'number' ? target : (pods[0]!.ports.find((named) => named.name === target)?.port ?? NaN);
  return { kind: 'pods', pods, port: podPort };
}

function reaches(target: Target, to: Destination): boolean {
  if (to.kind !== 'pod' || to.port !== target.port || (to.protocol ?? 'TCP') !== 'TCP') return false;
  return target.kind === 'pods' ? target.pods.includes(to.pod) : to.pod.namespace === target.namespace;
}

const isPodOf = (model: DeploymentModel, workloads: string[]) => (from: Source) =>
  from.kind === 'pod' && workloads.some((w) => model.pods.get(w) === from.pod);

/**
 * Every connection the call graph (libs/contracts/src/call-graph.ts) and the platform's operation
 * need: HTTP calls at the URLs the callers' env names, Kafka and MongoDB, the commerce API,
 * partners' callbacks, DNS, Prometheus, and the public entry (the gateway). `extra` adds the
 * examples' edges.
 */
export function expectedEdges(model: DeploymentModel, extra: ExpectedEdge[] = []): ExpectedEdge[] {
  const edges: ExpectedEdge[] = [];
  const podsOf = (service: string) =>
    [...model.pods.entries()]
      .filter(([, pod]) => pod.container.service === service && pod.container.kind === 'Deployment')
      .map(([w]) => w);
  const envOf = (service: PlatformService) => model.pods.get(podsOf(service)[0]!)?.container.env ?? {};

  for (const call of HTTP_CALLS) {
    const variable = `${call.to.toUpperCase()}_URL`;
    const url = envOf(call.from)[variable];
    if (!url) throw new Error(`${call.from} -> ${call.to}: the ${call.from} container does not set ${variable}`);
    const target = resolveTarget(model, url);
    const from = isPodOf(model, podsOf(call.from));
    edges.push({ why: `${call.from} -> ${call.to} (${call.why})`, allows: (f, t) => from(f) && reaches(target, t) });
  }
  const external: Record<ExternalSystem, (service: PlatformService) => (to: Destination) => boolean> = {
    kafka: (service) => {
      const targets = (envOf(service).KAFKA_BROKERS ?? '')
        .split(',')
        .filter(Boolean)
        .map((b) => resolveTarget(model, b));
      return (to) => targets.some((target) => reaches(target, to));
    },
    mongodb: () => {
      const target = resolveTarget(model, MONGO_SERVICE);
      return (to) => reaches(target, to);
    },
    'commerce-api': (service) => {
      const target = resolveTarget(model, envOf(service).UPSTREAM_COMMERCE_URL ?? '');
      return (to) => reaches(target, to);
    },
    'partner-callbacks': () => (to) =>
      to.kind === 'address' && (to.protocol ?? 'TCP') === 'TCP' && isPartnerAddress(to.address),
  };
  for (const call of EXTERNAL_CALLS) {
    const from = isPodOf(model, podsOf(call.from));
    const to = external[call.to](call.from);
    edges.push({ why: `${call.from} -> ${call.to} (${call.why})`, allows: (f, t) => from(f) && to(t) });
  }
  const ours = (from: Source) => from.kind === 'pod' && [...model.pods.values()].includes(from.pod as never);
  edges.push({
    why: 'every pod -> DNS (53/UDP, 53/TCP, wherever the resolver is)',
    allows: (f, t) => ours(f) && t.port === 53,
  });
  edges.push({
    why: 'monitoring namespace -> every pod, its http port (/metrics)',
    allows: (f, t) =>
      f.kind === 'pod' &&
      f.pod.namespace === 'monitoring' &&
      t.kind === 'pod' &&
      ours({ kind: 'pod', pod: t.pod }) &&
      t.pod.ports.some((p) => p.name === 'http' && p.port === t.port),
  });
  const gateways = podsOf('gateway').map((w) => model.pods.get(w)!);
  edges.push({
    why: 'anyone outside the namespace -> gateway http (Ingress controller, load balancer, NGINX auth_request)',
    allows: (f, t) =>
      !ours(f) &&
      t.kind === 'pod' &&
      gateways.includes(t.pod as never) &&
      t.pod.ports.some((p) => p.name === 'http' && p.port === t.port),
  });
  if (PLATFORM_SERVICES.some((service) => podsOf(service).length === 0))
    throw new Error(`the overlay lacks a platform service: ${PLATFORM_SERVICES.filter((s) => podsOf(s).length === 0)}`);
  return [...edges, ...extra];
}

/** The examples' edges (components/examples), declared here: they are the dev overlay's, not the platform's. */
export function exampleEdges(model: DeploymentModel): ExpectedEdge[] {
  if (!model.pods.has('third-party-app')) return [];
  const from = (workload: string) => isPodOf(model, [workload]);
  const callback = resolveTarget(model, 'http://third-party-app:3020');
  const job = model.pods.get('allow-partner-callbacks')!.container;
  const config = resolveTarget(model, job.env.CONFIG_URL!);
  const subscriberKafka = (model.pods.get('subscriber')!.container.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => resolveTarget(model, b));
  const oauth = from([...model.pods.entries()].find(([, p]) => p.container.service === 'oauth')![0]);
  return [
    {
      why: 'oauth -> third-party-app (the example partner callback, allow-listed by the Job)',
      allows: (f, t) => oauth(f) && reaches(callback, t),
    },
    {
      why: "third-party-app -> the store's public URL on 443 (the Ingress, in the cluster or at a load balancer)",
      allows: (f, t) => from('third-party-app')(f) && t.port === 443 && (t.protocol ?? 'TCP') === 'TCP',
    },
    {
      why: 'subscriber -> Kafka',
      allows: (f, t) => from('subscriber')(f) && subscriberKafka.some((target) => reaches(target, t)),
    },
    {
      why: 'allow-partner-callbacks Job -> config',
      allows: (f, t) => from('allow-partner-callbacks')(f) && reaches(config, t),
    },
  ];
}
