import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { type ComposeFile, type K8sObject, REPO_ROOT, serviceOfImage } from './render';

/** An HTTP probe, its port resolved to a number. */
export interface HttpProbe {
  path: string;
  port: number;
}

/** Where a file the container reads comes from, and its content. */
export interface MountedFile {
  /** Absolute path inside the container. */
  path: string;
  content: string;
}

/**
 * One container as the manifests run it, everything resolved: env (ConfigMaps looked up, Secrets
 * from `secrets`), ports, probes, command, files mounted from ConfigMaps/Secrets/bind mounts, and
 * writable directories (emptyDir, volumes).
 */
export interface Container {
  /** `dev/Deployment/gateway`, `compose/gateway`. */
  id: string;
  /** Deployment, Job or compose service name. */
  workload: string;
  kind: 'Deployment' | 'Job' | 'compose';
  /** What the image runs (its SERVICE build arg). */
  service: string;
  /** The pod template's labels (NetworkPolicy selectors); compose: none. */
  labels: Record<string, string>;
  namespace: string;
  /** Explicit replicas, or the HPA's minimum; compose: 1. */
  replicas: number;
  env: Record<string, string>;
  /** Variables a manifest names but that stay unset (an optional Secret key that is absent). */
  unsetOptional: string[];
  /** Variables whose value comes from a Secret (never printed). */
  fromSecrets: string[];
  ports: Array<{ name?: string; port: number }>;
  readiness?: HttpProbe;
  liveness?: HttpProbe;
  startup?: HttpProbe;
  /** compose: the healthcheck command (readiness there). */
  healthcheckCommand?: string[];
  command?: string[];
  files: MountedFile[];
  /** Directories the container may write (emptyDir, volumes). */
  writableDirs: string[];
  /** Compose: services that must be healthy (or started) first. */
  dependsOn: Array<{ service: string; condition: string }>;
  /** A run-once container (Job, compose `restart: "no"` without healthcheck). */
  runOnce: boolean;
}

/** The Secrets an operator provides (the test generates them, see secrets.ts). */
export interface SecretStore {
  /** A key's value, or undefined when the Secret or the key does not exist. */
  value(secret: string, key: string): string | undefined;
  /** Every key of a Secret (none when it does not exist). */
  keys(secret: string): string[];
}

/** Every container of the Deployments and Jobs of a rendered overlay. */
export function overlayContainers(source: string, objects: K8sObject[], secrets: SecretStore): Container[] {
  const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o.data ?? {}]));
  const hpaMin = new Map(
    objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((o) => [o.spec.scaleTargetRef.name as string, o.spec.minReplicas as number]),
  );
  const containers: Container[] = [];
  for (const object of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job')) {
    const pod = object.spec.template.spec;
    const volumes = new Map<string, Record<string, unknown>>(
      (pod.volumes ?? []).map((v: { name: string }) => [v.name, v]),
    );
    for (const c of pod.containers) {
      const ports = (c.ports ?? []).map((p: { name?: string; containerPort: number }) => ({
        name: p.name,
        port: p.containerPort,
      }));
      const portOf = (port: string | number): number => {
        if (typeof port === 'number') return port;
        const named = ports.find((p: { name?: string }) => p.name === port);
        if (!named) throw new Error(`${object.metadata.name}/${c.name}: probe port "${port}" is not a container port`);
        return named.port;
      };
      const probe = (spec?: { httpGet?: { path: string; port: string | number } }): HttpProbe | undefined =>
        spec?.httpGet ? { path: spec.httpGet.path, port: portOf(spec.httpGet.port) } : undefined;

      const env: Record<string, string> = {};
      const unsetOptional: string[] = [];
      const fromSecrets: string[] = [];
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) Object.assign(env, configMaps.get(from.configMapRef.name) ?? {});
        if (from.secretRef) throw new Error(`${object.metadata.name}: envFrom secretRef is not supported here`);
      }
      for (const entry of c.env ?? []) {
        if ('value' in entry) {
          env[entry.name] = String(entry.value);
          continue;
        }
        const ref = entry.valueFrom?.configMapKeyRef ?? entry.valueFrom?.secretKeyRef;
        const isSecret = Boolean(entry.valueFrom?.secretKeyRef);
        const value = isSecret ? secrets.value(ref.name, ref.key) : configMaps.get(ref.name)?.[ref.key];
        if (isSecret) fromSecrets.push(entry.name);
        if (value !== undefined) env[entry.name] = value;
        else if (ref.optional) unsetOptional.push(entry.name);
        else
          throw new Error(
            `${object.metadata.name}/${c.name}: ${entry.name} refers to ${isSecret ? 'Secret' : 'ConfigMap'} ${ref.name} key ${ref.key}, which does not exist`,
          );
      }

      const files: MountedFile[] = [];
      const writableDirs: string[] = [];
      for (const mount of c.volumeMounts ?? []) {
        const volume = volumes.get(mount.name) as
          | { configMap?: { name: string }; secret?: { secretName: string; optional?: boolean }; emptyDir?: object }
          | undefined;
        if (!volume) throw new Error(`${object.metadata.name}/${c.name}: volumeMount ${mount.name} has no volume`);
        if (volume.emptyDir) writableDirs.push(mount.mountPath);
        else if (volume.configMap) {
          const data = configMaps.get(volume.configMap.name);
          if (!data) throw new Error(`${object.metadata.name}: ConfigMap ${volume.configMap.name} is not rendered`);
          for (const [key, content] of Object.entries(data)) files.push({ path: join(mount.mountPath, key), content });
        } else if (volume.secret) {
          for (const key of secrets.keys(volume.secret.secretName)) {
            const content = secrets.value(volume.secret.secretName, key);
            if (content !== undefined) files.push({ path: join(mount.mountPath, key), content });
          }
        } else throw new Error(`${object.metadata.name}: volume ${mount.name} has a kind the boot does not emulate`);
      }

      const service = serviceOfImage(c.image);
      containers.push({
        id: `${source}/${object.kind}/${object.metadata.name}`,
        workload: object.metadata.name,
        kind: object.kind as 'Deployment' | 'Job',
        service,
        labels: object.spec.template.metadata?.labels ?? {},
        namespace: object.metadata.namespace ?? 'default',
        replicas: object.kind === 'Job' ? 1 : (object.spec.replicas ?? hpaMin.get(object.metadata.name) ?? 1),
        env,
        unsetOptional,
        fromSecrets,
        ports,
        readiness: probe(c.readinessProbe),
        liveness: probe(c.livenessProbe),
        startup: probe(c.startupProbe),
        command: c.command ? [...c.command, ...(c.args ?? [])] : undefined,
        files,
        writableDirs,
        dependsOn: [],
        runOnce: object.kind === 'Job',
      });
    }
  }
  return containers;
}

/**
 * Every service of docker-compose.yml that runs one of our images (mongo and kafka are what the
 * local infrastructure stands in for). Ports: the container port of the service's `<PREFIX>_PORT`,
 * which is what its healthcheck and the other services' URLs use.
 */
export function composeContainers(compose: ComposeFile): Container[] {
  const containers: Container[] = [];
  const ours = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('integrations/'));
  for (const [name, s] of ours) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(s.environment ?? {})) env[key] = value === null ? '' : String(value);
    const service = s.build?.args?.SERVICE ?? serviceOfImage(s.image!);
    const prefix = envPrefixOf(service);
    const port = env[`${prefix}_PORT`];
    const files: MountedFile[] = [];
    const writableDirs: string[] = ['/tmp'];
    for (const volume of s.volumes ?? []) {
      const [from, to] = volume.split(':');
      if (from.startsWith('.') || isAbsolute(from)) {
        files.push({ path: to, content: readFileSync(join(REPO_ROOT, from), 'utf8') });
      } else writableDirs.push(to);
    }
    const healthcheck = s.healthcheck?.disable ? undefined : s.healthcheck?.test?.slice(1);
    containers.push({
      id: `compose/${name}`,
      workload: name,
      kind: 'compose',
      service,
      labels: {},
      namespace: 'compose',
      replicas: 1,
      env,
      unsetOptional: [],
      // compose takes secrets from the shell: the variables interpolated into these.
      fromSecrets: ['ADMIN_PASSWORD', 'OAUTH_ENCRYPTION_KEYS'].filter((name) => name in env),
      ports: port ? [{ port: Number(port) }] : [],
      healthcheckCommand: healthcheck,
      command: s.command,
      files,
      writableDirs,
      dependsOn: Object.entries(s.depends_on ?? {}).map(([dependency, { condition }]) => ({
        service: dependency,
        condition,
      })),
      runOnce: s.restart === 'no',
    });
  }
  return containers;
}

/** `third-party-app` -> `THIRD_PARTY_APP` (the services' variable prefix, as tools/run-local names it). */
export function envPrefixOf(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
