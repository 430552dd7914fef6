import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = resolve(__dirname, '../../..');
const INFRA_SCRIPT = 'tools/infra/infra.sh';

export const MISSING_INFRA_MESSAGE =
  'No Kafka/MongoDB for integration tests: run `bash tools/infra/infra.sh up` (or `npm run infra:up`) ' +
  'and export `KAFKA_BROKERS=127.0.0.1:9092 MONGO_URL=mongodb://127.0.0.1:27017`, or start Docker.';

/** Stops and starts the broker, for outage tests. */
export interface KafkaControl {
  /** `local-script`: the process is stopped; `testcontainers`: the container is paused. */
  readonly kind: 'local-script' | 'testcontainers';
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface TestInfra {
  kafkaBrokers: string[];
  mongoUrl: string;
  source: 'env' | 'testcontainers';
  /** Undefined when this run may not touch the broker (shared infrastructure it did not start). */
  kafkaControl?: KafkaControl;
}

let infra: Promise<TestInfra> | undefined;

/**
 * The infrastructure for integration tests, started once per jest worker:
 * 1. `KAFKA_BROKERS` + `MONGO_URL` from the environment (tools/infra/infra.sh, docker-compose, CI);
 * 2. else testcontainers (Kafka 3.9 + mongo:7), when a container runtime answers;
 * 3. else an error that says how to start the local infrastructure.
 */
export function getTestInfra(): Promise<TestInfra> {
  infra ??= resolveTestInfra({ env: process.env, probeContainerRuntime, startContainers });
  return infra;
}

export interface InfraDeps {
  env: NodeJS.ProcessEnv;
  probeContainerRuntime: () => Promise<boolean>;
  startContainers: () => Promise<TestInfra>;
}

export async function resolveTestInfra(deps: InfraDeps): Promise<TestInfra> {
  const fromEnv = infraFromEnv(deps.env);
  if (fromEnv) return fromEnv;
  if (await deps.probeContainerRuntime()) return deps.startContainers();
  throw new Error(MISSING_INFRA_MESSAGE);
}

export function infraFromEnv(env: NodeJS.ProcessEnv): TestInfra | undefined {
  const brokers =
    env.KAFKA_BROKERS?.split(',')
      .map((broker) => broker.trim())
      .filter(Boolean) ?? [];
  const mongoUrl = env.MONGO_URL?.trim();
  if (brokers.length === 0 || !mongoUrl) return undefined;
  // The broker is shared: stopping it fails every test running meanwhile, and with the hundreds
  // of partitions a developer machine collects a restart takes minutes. So only when told to
  // (KAFKA_CONTROL=local-script), or on CI (a fresh broker per run) when the local script runs it
  // (checked when asked, see localScriptKafkaControl).
  const control = env.KAFKA_CONTROL;
  const kafkaControl =
    control === 'local-script' || (control === undefined && Boolean(env.CI) && isLoopback(brokers[0]!))
      ? localScriptKafkaControl(brokers[0]!, control === 'local-script')
      : undefined;
  return { kafkaBrokers: brokers, mongoUrl, source: 'env', ...(kafkaControl ? { kafkaControl } : {}) };
}

function isLoopback(broker: string): boolean {
  return /^(127\.|localhost:|\[::1\]:)/.test(broker);
}

function localScriptKafkaControl(broker: string, told: boolean): KafkaControl {
  const script = (command: string) =>
    run('bash', [INFRA_SCRIPT, command, 'kafka'], {
      cwd: REPO_ROOT,
      // Loading every partition of a busy broker takes a while on a loaded machine, and so does its
      // controlled shutdown: cut short by a SIGKILL, the next start would recover every log first.
      // The script's own timeouts below come first.
      timeout: 360_000,
      env: {
        ...process.env,
        KAFKA_READY_TIMEOUT_S: process.env.KAFKA_READY_TIMEOUT_S ?? '300',
        KAFKA_STOP_TIMEOUT_S: process.env.KAFKA_STOP_TIMEOUT_S ?? '180',
      },
    }).then(() => undefined);
  return {
    kind: 'local-script',
    async stop() {
      if (!told) {
        const { stdout } = await run('bash', [INFRA_SCRIPT, 'status', 'kafka'], { cwd: REPO_ROOT });
        if (!/running/.test(stdout) || !stdout.includes(broker)) {
          throw new Error(`Kafka at ${broker} is not run by ${INFRA_SCRIPT}; set KAFKA_CONTROL=local-script to force.`);
        }
      }
      await script('down');
    },
    start: () => script('up'),
  };
}

async function probeContainerRuntime(timeoutMs = 5_000): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('container runtime probe timed out')), timeoutMs);
    });
    try {
      await Promise.race([getContainerRuntimeClient(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * @testcontainers/kafka 11.x drives Confluent images only; cp-kafka 7.9.1 is Apache Kafka 3.9.1.
 * Containers are reaped by testcontainers (Ryuk) when the worker exits.
 */
async function startContainers(): Promise<TestInfra> {
  const [{ KafkaContainer }, { MongoDBContainer }, { getContainerRuntimeClient }] = await Promise.all([
    import('@testcontainers/kafka'),
    import('@testcontainers/mongodb'),
    import('testcontainers'),
  ]);
  const [kafka, mongo] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.1').withKraft().start(),
    new MongoDBContainer('mongo:7').start(),
  ]);
  const client = await getContainerRuntimeClient();
  const container = client.container.getById(kafka.getId());
  return {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    mongoUrl: mongo.getConnectionString(),
    source: 'testcontainers',
    // Pausing keeps the mapped port the broker advertises; a restarted container may get another.
    kafkaControl: { kind: 'testcontainers', stop: () => container.pause(), start: () => container.unpause() },
  };
}
