import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { codeEnvOf } from './code-env';
import type { Image } from './image';
import type { LoopbackNetwork } from './loopback';
import type { K8sObject } from './render';
import { type Container, envPrefixOf } from './workloads';

/**
 * A small kubelet (or compose engine) for one machine: each container of the rendered manifests
 * runs as a process of the production image's /app, with the manifest's env, its mounted files,
 * its probes; restarted when it exits (a Job until it succeeds), like restartPolicy Always /
 * OnFailure and compose's `restart`.
 *
 * What differs from the cluster, and why (every difference is listed in `harnessEnv`):
 *  - `<PREFIX>_PORT`: the container port is taken on this machine by others; each container
 *    listens on a loopback port of 19000-19999, and the network (loopback.ts) maps the Service's
 *    port there;
 *  - `<PREFIX>_DB`, `<PREFIX>_TOPIC_PREFIX` (and the subscriber's topic and group): the local Kafka
 *    and FerretDB are shared, so each boot gets databases and topics of its own;
 *  - `KAFKA_TOPIC_REPLICATION`: the local Kafka has one broker;
 *  - NODE_EXTRA_CA_CERTS: the throwaway CA of the Ingress certificate, trusted by every process as a
 *    public CA would be (unless the manifest sets the variable itself);
 *  - values that are paths into the image (/app) or a mount point into the container's directory here.
 */
export interface Pod {
  container: Container;
  /** Loopback port for each container port. */
  localPorts: Map<number, number>;
  /** The environment the process gets (manifest env + image ENV + harness). */
  env: Record<string, string>;
  /** The part of `env` the harness changed or added, with the manifest's value when there was one. */
  harnessEnv: Record<string, { manifest?: string; here: string }>;
  root: string;
  logFile: string;
  process?: ChildProcess;
  starts: number;
  /** A run-once container that exited 0. */
  succeeded: boolean;
}

export interface BootOptions {
  label: string;
  containers: Container[];
  image: Image;
  network: LoopbackNetwork;
  runDir: string;
  /** First loopback port of this boot (up to +79 used). */
  portBase: number;
  /** Database-name and topic prefix of this boot, ending in `_` (`dep_dev_…_` -> `dep_dev_…_registry`). */
  isolation: string;
  caFile: string;
  /** Kubernetes Services (routes `name:port` to the selected container), none for compose. */
  services?: K8sObject[];
}

export class Boot {
  readonly pods: Pod[];
  private stopping = false;

  constructor(private readonly options: BootOptions) {
    let nextPort = options.portBase;
    this.pods = options.containers.map((container) => {
      const localPorts = new Map(container.ports.map((p) => [p.port, nextPort++]));
      const root = join(options.runDir, container.workload);
      return {
        container,
        localPorts,
        env: {},
        harnessEnv: {},
        root,
        logFile: join(options.runDir, `${container.workload}.log`),
        starts: 0,
        succeeded: false,
      };
    });
    this.routeServices();
    for (const pod of this.pods) this.prepare(pod);
  }

  /** Service names (short and long forms) and ports -> the loopback port of the selected container. */
  private routeServices(): void {
    const { network, services } = this.options;
    if (services) {
      for (const service of services) {
        const name = service.metadata.name;
        const namespace = service.metadata.namespace!;
        const selected = this.pods.filter((pod) =>
          Object.entries(service.spec.selector ?? {}).every(([k, v]) => pod.container.labels[k] === v),
        );
        for (const port of service.spec.ports as Array<{ port: number; targetPort?: string | number }>) {
          for (const pod of selected.slice(0, 1)) {
            const target = port.targetPort ?? port.port;
            const containerPort =
              typeof target === 'number' ? target : pod.container.ports.find((p) => p.name === target)?.port;
            const local = containerPort === undefined ? undefined : pod.localPorts.get(containerPort);
            if (local === undefined) throw new Error(`Service ${name}: port ${port.port} reaches no container port`);
            network.route(
              [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`],
              port.port,
              { host: '127.0.0.1', port: local },
            );
          }
        }
      }
    } else {
      // compose: the service name is its host name in the network, on the port it listens on.
      for (const pod of this.pods) {
        for (const [containerPort, local] of pod.localPorts)
          network.route([pod.container.workload], containerPort, { host: '127.0.0.1', port: local });
      }
    }
  }

  /** The container's directory: /app (the image, .local writable), its mounts, its environment. */
  private prepare(pod: Pod): void {
    const { container } = pod;
    const { image, isolation } = this.options;
    const app = join(pod.root, 'app');
    mkdirSync(join(app, '.local'), { recursive: true });
    for (const entry of readdirSync(image.appDir))
      if (entry !== '.local') symlinkSync(join(image.appDir, entry), join(app, entry));
    const local = (path: string) =>
      path === '/app' || path.startsWith('/app/') ? join(app, path.slice(4)) : join(pod.root, 'fs', path);
    for (const dir of container.writableDirs) mkdirSync(local(dir), { recursive: true });
    for (const file of container.files) {
      mkdirSync(dirname(local(file.path)), { recursive: true });
      writeFileSync(local(file.path), file.content);
    }

    const harness: Pod['harnessEnv'] = {};
    const set = (name: string, value: string) => {
      harness[name] = { ...(name in container.env ? { manifest: container.env[name] } : {}), here: value };
    };
    // Paths into the image (/app) or a mount: the same file, where it is here.
    const mounts = ['/app', ...container.writableDirs, ...container.files.map((file) => dirname(file.path))];
    const isMounted = (value: string) => mounts.some((mount) => value === mount || value.startsWith(`${mount}/`));
    for (const [name, value] of Object.entries(container.env)) if (isMounted(value)) set(name, local(value));
    const reads = codeEnvOf(container.service, container.command, container.files, container.env).reads;
    const prefix = envPrefixOf(container.service);
    if (!container.command) {
      const listen = container.ports[0];
      if (listen) set(`${prefix}_PORT`, String(pod.localPorts.get(listen.port)));
      if (reads.has(`${prefix}_DB`)) set(`${prefix}_DB`, `${isolation}${container.service.replace(/-/g, '_')}`);
      if (reads.has(`${prefix}_TOPIC_PREFIX`)) set(`${prefix}_TOPIC_PREFIX`, isolation);
      if (container.service === 'subscriber') {
        set('SUBSCRIBER_TOPIC', `${isolation}integrations.integration.v1`);
        set('SUBSCRIBER_GROUP_ID', `${isolation}subscriber`);
      }
    }
    if (Number(container.env.KAFKA_TOPIC_REPLICATION ?? 1) > 1) set('KAFKA_TOPIC_REPLICATION', '1');
    if (!('NODE_EXTRA_CA_CERTS' in container.env)) set('NODE_EXTRA_CA_CERTS', this.options.caFile);
    pod.harnessEnv = harness;
    pod.env = {
      ...image.env,
      SERVICE: container.service,
      ...container.env,
      ...Object.fromEntries(Object.entries(harness).map(([name, { here }]) => [name, here])),
    };
  }

  /** Starts every container (compose: in depends_on order) and waits until each is ready. */
  async start(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const started = new Set<string>();
    const pending = [...this.pods];
    while (pending.length > 0) {
      const startable = pending.filter((pod) =>
        pod.container.dependsOn.every(({ service, condition }) => {
          const dependency = this.pods.find((p) => p.container.workload === service);
          if (!dependency) return true; // mongo, kafka: the local infrastructure, already up
          if (condition === 'service_started') return started.has(service);
          if (condition === 'service_completed_successfully') return dependency.succeeded;
          return this.readyCache.get(dependency) === true;
        }),
      );
      for (const pod of startable) {
        pending.splice(pending.indexOf(pod), 1);
        started.add(pod.container.workload);
        this.run(pod);
      }
      if (pending.length > 0) {
        if (Date.now() > deadline)
          throw new Error(`${this.options.label}: never started ${pending.map((p) => p.container.workload)}`);
        await this.refreshReadiness();
        await sleep(1000);
      }
    }
    for (;;) {
      await this.refreshReadiness();
      const waiting = this.pods.filter((pod) => !(pod.container.runOnce ? pod.succeeded : this.readyCache.get(pod)));
      if (waiting.length === 0) return;
      // A container that keeps exiting will not get better (CrashLoopBackOff): say why at once.
      const crashing = waiting.filter((pod) => pod.starts > MAX_STARTS);
      if (crashing.length > 0 || Date.now() > deadline)
        throw new Error(
          `${this.options.label}: ${crashing.length > 0 ? `started more than ${MAX_STARTS} times` : `not ready after ${timeoutMs} ms`}: ` +
            `${(crashing.length > 0 ? crashing : waiting).map((p) => p.container.workload).join(', ')}\n` +
            (crashing.length > 0 ? crashing : waiting)
              .map((p) => `--- ${p.logFile} (last lines)\n${tail(p.logFile, 25)}`)
              .join('\n'),
        );
      await sleep(1000);
    }
  }

  private readonly readyCache = new Map<Pod, boolean>();

  /** Probes the pods not ready yet (once ready, a pod counts as started: start() waits for that). */
  private async refreshReadiness(): Promise<void> {
    const pending = this.pods.filter((pod) => this.readyCache.get(pod) !== true);
    await Promise.all(pending.map(async (pod) => this.readyCache.set(pod, await this.ready(pod))));
  }

  /** The readiness probe of the manifest: its HTTP GET, or compose's healthcheck command. */
  async ready(pod: Pod): Promise<boolean> {
    if (!pod.process || pod.process.exitCode !== null) return false;
    const { readiness, healthcheckCommand } = pod.container;
    if (readiness) return (await this.probe(pod, readiness.path, readiness.port)) === 200;
    if (healthcheckCommand) return (await this.exec(pod, healthcheckCommand)) === 0;
    return true;
  }

  /** GET `path` on the pod's `containerPort`: the status, 0 when nothing answers. */
  async probe(pod: Pod, path: string, containerPort: number): Promise<number> {
    const port = pod.localPorts.get(containerPort);
    if (port === undefined) return 0;
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  /** Runs a command in the container (compose healthcheck): its exit code. */
  exec(pod: Pod, command: string[]): Promise<number> {
    return new Promise((resolve) => {
      const [program, ...args] = command;
      const child = spawn(program === 'node' ? process.execPath : program!, this.nodeArgs(program, args), {
        cwd: join(pod.root, 'app'),
        env: pod.env,
        stdio: 'ignore',
      });
      child.once('error', () => resolve(-1));
      child.once('exit', (code) => resolve(code ?? -1));
    });
  }

  private nodeArgs(program: string | undefined, args: string[]): string[] {
    return program === 'node' ? ['-r', this.preload(), ...args] : args;
  }

  private preloadFile?: string;
  private preload(): string {
    this.preloadFile ??= this.options.network.writePreload(join(this.options.runDir, 'loopback-preload.js'));
    return this.preloadFile;
  }

  private run(pod: Pod): void {
    if (this.stopping) return;
    const command = pod.container.command ?? this.options.image.cmd;
    const [program, ...args] = command;
    const log = openSync(pod.logFile, 'a');
    pod.starts++;
    const child = spawn(program === 'node' ? process.execPath : program!, this.nodeArgs(program, args), {
      cwd: join(pod.root, 'app'),
      env: pod.env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    pod.process = child;
    child.once('exit', (code) => {
      if (this.stopping) return;
      if (pod.container.runOnce && code === 0) {
        pod.succeeded = true;
        return;
      }
      // Restart with a backoff, as the kubelet (and compose's restart policy) would.
      setTimeout(() => this.run(pod), Math.min(10_000, 500 * 2 ** Math.min(pod.starts, 5))).unref();
    });
  }

  /** SIGTERM to every process, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.pods.map(async (pod) => {
        const child = pod.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  pod(workload: string): Pod {
    const pod = this.pods.find((p) => p.container.workload === workload);
    if (!pod) throw new Error(`${this.options.label}: no container ${workload}`);
    return pod;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Restarts before a container counts as crash-looping (the Job's backoffLimit is 10). */
const MAX_STARTS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
