import type { Admin, Kafka } from 'kafkajs';

const DEFAULT_TIMEOUT_MS = 1_500;

/**
 * Answers "is Kafka reachable?" for readiness endpoints with one metadata request (describeCluster)
 * on an admin client of its own, without kafkajs retries: a probe must answer quickly, and the producer's
 * connected flag cannot tell (it stays true through an outage until a publish fails; a service that
 * only consumes never publishes). A failed probe drops the admin so the next one dials afresh.
 */
export class BrokerProbe {
  private admin: Admin | undefined;
  private probing: Promise<boolean> | undefined;
  private closed = false;

  constructor(private readonly kafka: Kafka) {}

  isReachable(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    this.probing ??= this.probe(timeoutMs).finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.probing?.catch(() => undefined);
    await this.drop();
  }

  private async probe(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      const answered = await Promise.race([this.askTwice(), timedOut]);
      if (!answered) await this.drop();
      return answered;
    } catch {
      await this.drop();
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A kept admin connection may have been closed meanwhile (the broker drops idle connections after
   * connections.max.idle.ms): one fresh attempt before saying "down", so readiness does not flap.
   */
  private async askTwice(): Promise<boolean> {
    try {
      return await this.ask();
    } catch {
      await this.drop();
      return this.ask();
    }
  }

  private async ask(): Promise<boolean> {
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      this.admin = admin;
      await admin.connect();
    }
    const { brokers } = await this.admin.describeCluster();
    return brokers.length > 0;
  }

  private async drop(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
