import { BlockList, isIP } from 'node:net';
import type { K8sObject } from './render';

/**
 * NetworkPolicy semantics (networking.k8s.io/v1), enough to decide whether one connection is
 * allowed: a pod selected by a policy with Egress (Ingress) in its policyTypes is isolated in that
 * direction, and a connection passes when some rule of some selecting policy matches it. Peers:
 * podSelector (this namespace), namespaceSelector (+ podSelector), ipBlock (+ except), which like
 * most CNIs (Cilium by default) only ever matches addresses outside the cluster's pods. Ports:
 * number, name (the destination pod's named port), endPort, protocol; no `ports` = every port.
 */

export interface Pod {
  namespace: string;
  labels: Record<string, string>;
  /** Named container ports. */
  ports: Array<{ name?: string; port: number }>;
}

/** A namespace as the policies see it (only the name label is set on a fresh cluster). */
export const namespaceLabels = (name: string): Record<string, string> => ({ 'kubernetes.io/metadata.name': name });

export type Destination =
  | { kind: 'pod'; pod: Pod; port: number; protocol?: 'TCP' | 'UDP' }
  | { kind: 'address'; address: string; port: number; protocol?: 'TCP' | 'UDP' };

export type Source = { kind: 'pod'; pod: Pod } | { kind: 'address'; address: string };

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}

interface Rule {
  peers?: Peer[];
  ports?: PolicyPort[];
}

interface Policy {
  name: string;
  namespace: string;
  podSelector: Selector;
  types: Array<'Ingress' | 'Egress'>;
  ingress: Rule[];
  egress: Rule[];
}

export class NetworkPolicies {
  private readonly policies: Policy[];

  constructor(objects: K8sObject[]) {
    this.policies = objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => ({
        name: o.metadata.name,
        namespace: o.metadata.namespace ?? 'default',
        podSelector: o.spec.podSelector ?? {},
        types: o.spec.policyTypes ?? ['Ingress', ...(o.spec.egress ? ['Egress' as const] : [])],
        ingress: (o.spec.ingress ?? []).map((r: { from?: Peer[]; ports?: PolicyPort[] }) => ({
          peers: r.from,
          ports: r.ports,
        })),
        egress: (o.spec.egress ?? []).map((r: { to?: Peer[]; ports?: PolicyPort[] }) => ({
          peers: r.to,
          ports: r.ports,
        })),
      }));
  }

  get count(): number {
    return this.policies.length;
  }

  /** Whether `from` may open a connection to `to`: egress of the source and ingress of the destination. */
  allows(from: Source, to: Destination): boolean {
    const protocol = to.protocol ?? 'TCP';
    if (from.kind === 'pod' && !this.egressAllowed(from.pod, to, protocol)) return false;
    if (to.kind === 'pod' && !this.ingressAllowed(to.pod, from, to.port, protocol)) return false;
    return true;
  }

  private selecting(pod: Pod, type: 'Ingress' | 'Egress'): Policy[] {
    return this.policies.filter(
      (p) => p.namespace === pod.namespace && p.types.includes(type) && matches(p.podSelector, pod.labels),
    );
  }

  private egressAllowed(pod: Pod, to: Destination, protocol: string): boolean {
    const policies = this.selecting(pod, 'Egress');
    // Pods of other namespaces (Kafka, MongoDB, the commerce API) are not ours: their own policies
    // are their operators' business.
    if (policies.length === 0) return true;
    const destinationPod = to.kind === 'pod' ? to.pod : undefined;
    return policies.some((policy) =>
      policy.egress.some(
        (rule) =>
          portMatches(rule.ports, to.port, protocol, destinationPod) &&
          peersMatch(rule.peers, policy.namespace, to.kind === 'pod' ? { pod: to.pod } : { address: to.address }),
      ),
    );
  }

  private ingressAllowed(pod: Pod, from: Source, port: number, protocol: string): boolean {
    const policies = this.selecting(pod, 'Ingress');
    if (policies.length === 0) return true;
    return policies.some((policy) =>
      policy.ingress.some(
        (rule) =>
          portMatches(rule.ports, port, protocol, pod) &&
          peersMatch(rule.peers, policy.namespace, from.kind === 'pod' ? { pod: from.pod } : { address: from.address }),
      ),
    );
  }
}

function peersMatch(
  peers: Peer[] | undefined,
  policyNamespace: string,
  other: { pod?: Pod; address?: string },
): boolean {
  if (peers === undefined || peers.length === 0) return true;
  return peers.some((peer) => {
    if (peer.ipBlock) return other.address !== undefined && inBlock(peer.ipBlock, other.address);
    if (!other.pod) return false;
    const namespaceOk = peer.namespaceSelector
      ? matches(peer.namespaceSelector, namespaceLabels(other.pod.namespace))
      : other.pod.namespace === policyNamespace;
    const podOk = peer.podSelector ? matches(peer.podSelector, other.pod.labels) : true;
    return namespaceOk && podOk;
  });
}

function portMatches(ports: PolicyPort[] | undefined, port: number, protocol: string, pod: Pod | undefined): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') {
      // A named port means the destination pod's port of that name (never matches an address).
      return pod?.ports.some((named) => named.name === p.port && named.port === port) ?? false;
    }
    return p.endPort ? port >= p.port && port <= p.endPort : port === p.port;
  });
}

export function matches(selector: Selector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const ok =
      expression.operator === 'In'
        ? value !== undefined && values.includes(value)
        : expression.operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : expression.operator === 'Exists'
            ? value !== undefined
            : value === undefined;
    if (!ok) return false;
  }
  return true;
}

function inBlock(block: { cidr: string; except?: string[] }, address: string): boolean {
  const family = isIP(address);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const within = (cidr: string) => {
    const [network, prefix] = cidr.split('/');
    if (isIP(network!) !== family) return false;
    const list = new BlockList();
    list.addSubnet(network!, Number(prefix), type);
    return list.check(address, type);
  };
  return within(block.cidr) && !(block.except ?? []).some(within);
}
