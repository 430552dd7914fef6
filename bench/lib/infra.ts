import { infraFromEnv } from '@integrations/testing';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';

export interface BenchInfra {
  mongoUrl: string;
  kafkaBrokers: string[];
}

/** The shared Kafka + FerretDB/MongoDB; benchmarks never start their own. */
export function benchInfra(): BenchInfra {
  const infra = infraFromEnv(process.env);
  if (!infra) {
    throw new Error(
      'Benchmarks need MONGO_URL and KAFKA_BROKERS. Start the local infrastructure with ' +
        '`bash tools/infra/infra.sh up`, then `source tools/infra/env.sh` and run the benchmark again.',
    );
  }
  return { mongoUrl: infra.mongoUrl, kafkaBrokers: infra.kafkaBrokers };
}

/** A prefix no other run uses, for databases (`<tag>_registry`) and topics (`<tag>.`). */
export function benchTag(name: string): string {
  return `bench_${name}_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/**
 * Leaves nothing behind: drops the run's databases and deletes its prefixed topics (and the
 * consumer groups' offsets go with the topics). Failures are reported, not thrown: cleanup runs
 * in `finally` and must not hide the benchmark's own error.
 */
export async function cleanupBenchInfra(infra: BenchInfra, databases: string[], topicPrefix?: string): Promise<void> {
  for (const name of databases) {
    const connection = mongoose.createConnection(infra.mongoUrl, { dbName: name });
    try {
      await connection.asPromise();
      await connection.dropDatabase();
    } catch (error) {
      process.stderr.write(`could not drop database ${name}: ${String(error)}\n`);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
  if (!topicPrefix) return;
  const admin = new Kafka({
    brokers: infra.kafkaBrokers,
    clientId: 'bench-cleanup',
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((group) => group.startsWith(topicPrefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } catch (error) {
    process.stderr.write(`could not delete topics ${topicPrefix}*: ${String(error)}\n`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
