import { TOPIC_CATALOGUE, deadLetterTopicOf, topicConfigs, type TopicSettings } from '@integrations/contracts';
import type { K8sObject } from './render';
import type { Container } from './workloads';

/**
 * The tables of k8s/README.md that restate the manifests or the topic catalogue, generated from
 * them. The README keeps each between `<!-- generated:<name> -->` and `<!-- /generated:<name> -->`;
 * tests/deploy/drift.int-spec.ts compares, and rewrites them with UPDATE_K8S_README=1.
 */
export type Blocks = Record<string, string>;

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (header: string[], rows: string[][]) =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
const code = (value: string) => `\`${value}\``;
const retention = (settings: TopicSettings) =>
  settings.retentionMs === null
    ? '-1 (forever)'
    : `${settings.retentionMs} (${settings.retentionMs / 86_400_000} days)`;

/** The topic catalogue (libs/contracts/src/topics.ts), every topic and its dead-letter topic. */
export function topicsBlock(): string {
  const rows = TOPIC_CATALOGUE.flatMap((entry) => {
    const configs = (settings: TopicSettings) =>
      Object.entries(topicConfigs(settings))
        .filter(([name]) => name !== 'retention.ms')
        .map(([name, value]) => `${name}=${value}`)
        .join(', ');
    return [
      [
        code(entry.name),
        String(entry.partitions),
        retention(entry),
        configs(entry),
        entry.producer,
        entry.consumers.join(', '),
      ],
      [
        code(deadLetterTopicOf(entry.name)),
        String(entry.deadLetter.partitions),
        retention(entry.deadLetter),
        configs(entry.deadLetter),
        `${entry.consumers.join(', ')} (dead letters)`,
        'operators',
      ],
    ];
  });
  return table(['topic', 'partitions', 'retention.ms', 'other configs', 'producer', 'consumers'], rows);
}

/** Replicas, strategy, disruption budget and probes of every workload, dev and prod side by side. */
export function workloadsBlock(overlays: Record<'dev' | 'prod', K8sObject[]>): string {
  const names = [...new Set(Object.values(overlays).flatMap((objects) => workloadNames(objects)))];
  const rows = names.map((name) => {
    const cells = (['dev', 'prod'] as const).map((overlay) => replicasOf(overlays[overlay], name));
    const objects = overlays.dev.some((o) => o.metadata.name === name && isWorkload(o)) ? overlays.dev : overlays.prod;
    const workload = objects.find((o) => o.metadata.name === name && isWorkload(o))!;
    const pdb = objects.find(
      (o) => o.kind === 'PodDisruptionBudget' && o.spec.selector.matchLabels['app.kubernetes.io/name'] === name,
    );
    const strategy =
      workload.kind === 'Job'
        ? 'Job (run once)'
        : workload.spec.strategy
          ? `${workload.spec.strategy.type} (maxSurge ${workload.spec.strategy.rollingUpdate?.maxSurge ?? 1}, maxUnavailable ${workload.spec.strategy.rollingUpdate?.maxUnavailable ?? 1})`
          : 'RollingUpdate (defaults)';
    const container = workload.spec.template.spec.containers[0];
    const readiness = container.readinessProbe?.httpGet
      ? `${container.readinessProbe.httpGet.path} every ${container.readinessProbe.periodSeconds ?? 10} s`
      : '-';
    const grace = workload.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    const prodWorkload = overlays.prod.find((o) => o.metadata.name === name && isWorkload(o));
    const resources = prodWorkload?.spec.template.spec.containers[0].resources ?? container.resources;
    const sizes = resources
      ? `${resources.requests.cpu}/${resources.requests.memory} .. ${resources.limits.cpu}/${resources.limits.memory}`
      : '-';
    const component = workload.metadata.labels?.['app.kubernetes.io/component'] ?? '';
    return [
      `${name}${component === 'example' ? ' (example)' : ''}`,
      ...cells,
      strategy,
      pdb ? `maxUnavailable ${pdb.spec.maxUnavailable}` : '-',
      readiness,
      workload.kind === 'Job' ? '-' : `${grace} s`,
      sizes,
    ];
  });
  return table(
    [
      'workload',
      'dev',
      'prod',
      'strategy',
      'PodDisruptionBudget',
      'readiness',
      'termination grace',
      'requests .. limits (prod, else dev)',
    ],
    rows,
  );
}

const isWorkload = (o: K8sObject) => o.kind === 'Deployment' || o.kind === 'Job';
const workloadNames = (objects: K8sObject[]) => objects.filter(isWorkload).map((o) => o.metadata.name);

function replicasOf(objects: K8sObject[], name: string): string {
  const workload = objects.find((o) => o.metadata.name === name && isWorkload(o));
  if (!workload) return '-';
  if (workload.kind === 'Job') return '1 (Job)';
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === name);
  if (hpa)
    return `HPA ${hpa.spec.minReplicas}..${hpa.spec.maxReplicas} (CPU ${hpa.spec.metrics[0].resource.target.averageUtilization}%)`;
  return String(workload.spec.replicas ?? 1);
}

/** Every key of platform-env, its value per overlay, and the containers that read it. */
export function settingsBlock(
  overlays: Record<'dev' | 'prod', { objects: K8sObject[]; containers: Container[] }>,
): string {
  const data = (overlay: 'dev' | 'prod') =>
    overlays[overlay].objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('platform-env-'))!.data!;
  const keys = [...new Set([...Object.keys(data('prod')), ...Object.keys(data('dev'))])].sort();
  const rows = keys.map((key) => {
    const readers = new Set<string>();
    for (const overlay of ['prod', 'dev'] as const)
      for (const object of overlays[overlay].objects.filter(isWorkload))
        for (const container of object.spec.template.spec.containers)
          for (const entry of container.env ?? [])
            if (
              entry.valueFrom?.configMapKeyRef?.key === key &&
              entry.valueFrom.configMapKeyRef.name.startsWith('platform-env')
            )
              readers.add(object.metadata.name);
    const prod = data('prod')[key];
    const dev = data('dev')[key];
    return [
      code(key),
      prod === undefined ? '-' : code(prod),
      dev === undefined ? '-' : dev === prod ? 'same' : code(dev),
      [...readers].sort().join(', '),
    ];
  });
  return table(['key', 'prod (and base)', 'dev', 'read by'], rows);
}

/** What each Secret holds, for the operator (the table fails when a Secret has no entry here). */
const SECRET_PURPOSES: Record<string, string> = {
  'gateway-mongo': "the gateway's MongoDB connection string (database `gateway`)",
  'registry-mongo': "the registry's MongoDB connection string (database `registry`)",
  'oauth-mongo': "the oauth service's MongoDB connection string (database `oauth`)",
  'acl-mongo': "the acl service's MongoDB connection string (database `acl`)",
  'config-mongo': "the config service's MongoDB connection string (database `config`)",
  'oauth-encryption-keys':
    '`kid:<base64 of 32 bytes>[,kid2:…]`, the keys that seal consumer and token secrets; the active key id when there are several',
  'gateway-bootstrap-admin':
    'the first admin; without it the gateway generates one on its first start and prints it once in its log',
  'integrations-tls': 'the certificate of the prod Ingress host (cert-manager or your PKI)',
  'integrations-dev-tls': 'the certificate of the dev Ingress host',
  'integrations-dev-ca': "a CA the example partner trusts besides the public ones (your dev certificate's issuer)",
};

/** Every Secret the rendered overlays name: keys (optional ones marked), overlays, users. */
export function secretsBlock(overlays: Record<'dev' | 'prod', K8sObject[]>): string {
  const secrets = new Map<string, { keys: Map<string, boolean>; overlays: Set<string>; users: Set<string> }>();
  const note = (name: string, overlay: string, user: string, key?: string, optional = false) => {
    const entry = secrets.get(name) ?? { keys: new Map(), overlays: new Set(), users: new Set() };
    if (key) entry.keys.set(key, (entry.keys.get(key) ?? true) && optional);
    entry.overlays.add(overlay);
    entry.users.add(user);
    secrets.set(name, entry);
  };
  for (const overlay of ['prod', 'dev'] as const) {
    for (const object of overlays[overlay]) {
      if (object.kind === 'Ingress')
        for (const tls of object.spec.tls ?? []) {
          note(tls.secretName, overlay, 'the Ingress', 'tls.crt');
          note(tls.secretName, overlay, 'the Ingress', 'tls.key');
        }
      if (!isWorkload(object)) continue;
      const pod = object.spec.template.spec;
      for (const container of pod.containers)
        for (const entry of container.env ?? []) {
          const ref = entry.valueFrom?.secretKeyRef;
          if (ref) note(ref.name, overlay, object.metadata.name, ref.key, Boolean(ref.optional));
        }
      for (const volume of pod.volumes ?? [])
        if (volume.secret)
          note(
            volume.secret.secretName,
            overlay,
            object.metadata.name,
            volume.secret.items?.[0]?.key ?? 'ca.crt',
            Boolean(volume.secret.optional),
          );
    }
  }
  const rows = [...secrets.entries()].map(([name, entry]) => {
    const purpose = SECRET_PURPOSES[name];
    if (!purpose)
      throw new Error(`Secret ${name} has no description in tests/deploy/support/readme.ts SECRET_PURPOSES`);
    const allOptional = [...entry.keys.values()].every(Boolean);
    return [
      code(name) + (allOptional ? ' (optional)' : ''),
      [...entry.keys.entries()]
        .map(([key, optional]) => code(key) + (optional && !allOptional ? ' (optional)' : ''))
        .join(', '),
      [...entry.overlays].join(', '),
      [...entry.users].sort().join(', '),
      purpose,
    ];
  });
  return table(['Secret', 'keys', 'overlays', 'used by', 'what'], rows);
}

/** A markdown table's cells, whatever padding prettier gave it (so a formatted table compares equal). */
export function normalizeTables(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .map((cell) => (/^\s*:?-+:?\s*$/.test(cell) ? '---' : cell.trim()))
            .join('|')
        : line,
    )
    .join('\n');
}

/** The content of each generated block of the README. */
export function blocksOf(readme: string): Blocks {
  const blocks: Blocks = {};
  for (const match of readme.matchAll(/<!-- generated:([a-z-]+) -->\s*([\s\S]*?)\s*<!-- \/generated:\1 -->/g))
    blocks[match[1]!] = match[2]!;
  return blocks;
}

/** The README with its generated blocks replaced by `blocks`. */
export function withBlocks(readme: string, blocks: Blocks): string {
  let text = readme;
  for (const [name, content] of Object.entries(blocks)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!pattern.test(text)) throw new Error(`k8s/README.md has no <!-- generated:${name} --> block`);
    text = text.replace(pattern, (_match, open: string, close: string) => `${open}\n\n${content}\n\n${close}`);
  }
  return text;
}
