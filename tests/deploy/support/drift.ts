import { HTTP_CALLS, KAFKA_CLIENTS, PLATFORM_SERVICES, type PlatformService } from '@integrations/contracts';
import { codeEnvOf } from './code-env';
import { type DeploymentModel, type ExpectedEdge } from './expected-edges';
import type { Destination, NetworkPolicies, Pod, Source } from './network-policy';
import { type Container, envPrefixOf } from './workloads';

/** One difference between what the manifests say and what the code or the call graph says. */
export interface Mismatch {
  check: string;
  detail: string;
}

export interface Tally {
  variables: number;
  edges: number;
  mismatches: Mismatch[];
}

export const newTally = (): Tally => ({ variables: 0, edges: 0, mismatches: [] });

/**
 * The environment of every container against the code of its image: each variable set is read,
 * each required one is set, every value passes the image's own schema, the listening port is the
 * container's, and HTTP URLs / Kafka follow the call graph.
 */
export function checkEnvironment(containers: Container[], tally: Tally): void {
  for (const container of containers) {
    const code = codeEnvOf(container.service, container.command, container.files, container.env);
    const mismatch = (check: string, detail: string) =>
      tally.mismatches.push({ check, detail: `${container.id}: ${detail}` });
    const set = Object.keys(container.env);
    for (const name of set) {
      tally.variables++;
      if (!code.reads.has(name))
        mismatch('set but not read', `${name} is set, but no code of image "${container.service}" reads it`);
    }
    for (const name of container.unsetOptional) {
      tally.variables++;
      if (!code.reads.has(name)) mismatch('set but not read', `${name} (optional) is named, but not read`);
    }
    for (const name of code.required) {
      tally.variables++;
      if (!(name in container.env)) mismatch('required but not set', `${name} is required by ${code.readBy.get(name)}`);
    }
    for (const problem of code.validate(container.env)) mismatch('refused by the schema', problem);

    if (!container.command) {
      const portVariable = `${envPrefixOf(container.service)}_PORT`;
      const port = container.env[portVariable];
      tally.variables++;
      if (port === undefined) mismatch('port', `${portVariable} is not set (the listening port would be a default)`);
      else if (!container.ports.some((p) => p.port === Number(port)))
        mismatch('port', `${portVariable}=${port} is not a container port (${container.ports.map((p) => p.port)})`);
    }

    if ((PLATFORM_SERVICES as readonly string[]).includes(container.service) && !container.command) {
      const service = container.service as PlatformService;
      for (const callee of PLATFORM_SERVICES) {
        if (callee === service) continue;
        const variable = `${callee.toUpperCase()}_URL`;
        const declared = HTTP_CALLS.some((call) => call.from === service && call.to === callee);
        if (declared !== code.reads.has(variable))
          mismatch(
            'call graph vs code',
            declared
              ? `the call graph has ${service} -> ${callee}, but ${service}'s code does not read ${variable}`
              : `${service}'s code reads ${variable}, but the call graph has no ${service} -> ${callee}`,
          );
      }
      if (KAFKA_CLIENTS.includes(service) !== code.reads.has('KAFKA_BROKERS'))
        mismatch(
          'call graph vs code',
          `KAFKA_CLIENTS ${KAFKA_CLIENTS.includes(service) ? 'lists' : 'omits'} ${service}, whose code ${code.reads.has('KAFKA_BROKERS') ? 'reads' : 'does not read'} KAFKA_BROKERS`,
        );
    }
  }
}

/** Addresses probed from every pod: public and private, IPv4 and IPv6, each kind of range. */
const PROBED_ADDRESSES = [
  '93.184.215.14',
  '8.8.8.8',
  '2606:2800:220:1:248:1893:25c8:1946',
  '2a00:1450:4001:80b::200e',
  '0.1.2.3',
  '10.1.2.3',
  '100.64.1.1',
  '127.0.0.1',
  '169.254.169.254',
  '169.254.20.10',
  '172.16.5.4',
  '192.0.0.8',
  '192.0.2.10',
  '192.168.1.10',
  '198.18.0.1',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '240.0.0.1',
  '10.96.0.10',
  '::',
  '::1',
  '::ffff:10.0.0.1',
  '64:ff9b::a00:1',
  '64:ff9b::5db8:d70e',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'ff02::1',
  '100::1',
  '2001::1',
  '2001:db8::1',
  '2002:a00:1::1',
];
const PROBED_ADDRESS_PORTS: Array<{ port: number; protocol?: 'UDP' }> = [
  { port: 53, protocol: 'UDP' },
  { port: 53 },
  { port: 80 },
  { port: 443 },
  { port: 3020 },
  { port: 8443 },
];

/** Pods of namespaces around the platform's, as the README names them. */
const NEIGHBOURS: Array<{ pod: Pod; ports: Array<{ port: number; protocol?: 'UDP' }> }> = [
  {
    pod: { namespace: 'kafka', labels: { 'strimzi.io/cluster': 'integrations' }, ports: [] },
    ports: [{ port: 9092 }, { port: 9093 }],
  },
  {
    pod: { namespace: 'mongodb', labels: { app: 'integrations-mongo-svc' }, ports: [] },
    ports: [{ port: 27017 }, { port: 27018 }],
  },
  { pod: { namespace: 'commerce', labels: { app: 'magento' }, ports: [] }, ports: [{ port: 8080 }, { port: 80 }] },
  {
    pod: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [] },
    ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }, { port: 9153 }],
  },
  {
    pod: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [] },
    ports: [{ port: 443 }, { port: 80 }],
  },
  {
    pod: { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [] },
    ports: [{ port: 9090 }],
  },
];

/**
 * Every connection from and to the platform's pods that the policies decide, both ways: what the
 * call graph needs must be allowed, and nothing else may be. Sources: every pod of the overlay, a
 * pod of each neighbouring namespace, an address on the internet. Destinations: every pod's every
 * port plus a closed one, the neighbours' ports, and addresses of every kind of range.
 */
export function checkNetwork(
  model: DeploymentModel,
  policies: NetworkPolicies,
  expected: ExpectedEdge[],
  tally: Tally,
): void {
  const ours = [...model.pods.entries()];
  const sources: Array<{ label: string; source: Source }> = [
    ...ours.map(([workload, pod]) => ({ label: workload, source: { kind: 'pod' as const, pod } })),
    ...NEIGHBOURS.map(({ pod }) => ({ label: `${pod.namespace} pod`, source: { kind: 'pod' as const, pod } })),
    { label: 'internet 198.51.100.20', source: { kind: 'address', address: '198.51.100.20' } },
  ];
  const destinations: Array<{ label: string; to: Destination; ours: boolean }> = [
    ...ours.flatMap(([workload, pod]) =>
      [...pod.ports.map((p) => p.port), 9999].map((port) => ({
        label: `${workload}:${port}`,
        to: { kind: 'pod' as const, pod, port },
        ours: true,
      })),
    ),
    ...NEIGHBOURS.flatMap(({ pod, ports }) =>
      ports.map(({ port, protocol }) => ({
        label: `${pod.namespace} pod:${port}${protocol ? `/${protocol}` : ''}`,
        to: { kind: 'pod' as const, pod, port, protocol },
        ours: false,
      })),
    ),
    ...PROBED_ADDRESSES.flatMap((address) =>
      PROBED_ADDRESS_PORTS.map(({ port, protocol }) => ({
        label: `${address.includes(':') ? `[${address}]` : address}:${port}${protocol ? `/${protocol}` : ''}`,
        to: { kind: 'address' as const, address, port, protocol },
        ours: false,
      })),
    ),
  ];
  for (const { label: from, source } of sources) {
    const sourceIsOurs = source.kind === 'pod' && ours.some(([, pod]) => pod === source.pod);
    for (const { label: to, to: destination, ours: destinationIsOurs } of destinations) {
      if (!sourceIsOurs && !destinationIsOurs) continue;
      if (source.kind === 'pod' && destination.kind === 'pod' && source.pod === destination.pod) continue;
      tally.edges++;
      const allowed = policies.allows(source, destination);
      const wanted = expected.filter((edge) => edge.allows(source, destination));
      if (allowed && wanted.length === 0)
        tally.mismatches.push({
          check: 'allowed but not in the call graph',
          detail: `${model.namespace}: ${from} -> ${to}`,
        });
      if (!allowed && wanted.length > 0)
        tally.mismatches.push({
          check: 'in the call graph but not allowed',
          detail: `${model.namespace}: ${from} -> ${to} (${wanted.map((w) => w.why).join('; ')})`,
        });
    }
  }
}
