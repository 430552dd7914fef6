import { forgetConsumerLag, recordConsumerLag } from '@integrations/service-kit';

/**
 * Messages after `offset` in a partition whose next offset to be written is `highWatermark`.
 * Offsets are int64 strings; the difference fits a double for any lag that matters. An unknown
 * watermark (-1, or a value behind the offset after a truncation) reads as 0, never negative.
 */
export function lagAfter(highWatermark: string, offset: string): number {
  return difference(highWatermark, offset, 1n);
}

/** Messages from `offset` (included) to the end: what a batch starting there leaves to handle. */
export function lagFrom(highWatermark: string, offset: string): number {
  return difference(highWatermark, offset, 0n);
}

function difference(highWatermark: string, offset: string, minus: bigint): number {
  try {
    const lag = BigInt(highWatermark) - BigInt(offset) - minus;
    return lag > 0n ? Number(lag) : 0;
  } catch {
    return 0;
  }
}

/**
 * Reports `kafka_consumer_lag_messages` for one subscription (one group): at the start of each
 * fetched batch (what the fetch left to do), after each handled message, and drops the partitions a
 * rebalance took away. From the batch itself, so it costs no request to the broker.
 */
export class ConsumerLagReporter {
  private readonly owned = new Set<string>();

  constructor(
    private readonly service: string,
    private readonly group: string,
  ) {}

  /** Before the first message of a batch: everything from it to the end is still to be handled. */
  batchStarted(topic: string, partition: number, highWatermark: string, firstOffset: string): void {
    this.report(topic, partition, lagFrom(highWatermark, firstOffset));
  }

  handled(topic: string, partition: number, highWatermark: string, offset: string): void {
    this.report(topic, partition, lagAfter(highWatermark, offset));
  }

  /** After a (re)join: the partitions this member now reads, by topic. */
  assigned(assignment: Record<string, number[]>): void {
    const now = new Set(
      Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => key(topic, p))),
    );
    for (const owned of this.owned) {
      if (now.has(owned)) continue;
      const [topic, partition] = split(owned);
      forgetConsumerLag(this.service, { group: this.group, topic, partition });
      this.owned.delete(owned);
    }
  }

  /** The subscription closed: its series go, the next member reports its own. */
  clear(): void {
    this.assigned({});
  }

  private report(topic: string, partition: number, lag: number): void {
    this.owned.add(key(topic, partition));
    recordConsumerLag(this.service, { group: this.group, topic, partition }, lag);
  }
}

const key = (topic: string, partition: number) => `${partition}:${topic}`;
function split(owned: string): [string, number] {
  const colon = owned.indexOf(':');
  return [owned.slice(colon + 1), Number(owned.slice(0, colon))];
}
