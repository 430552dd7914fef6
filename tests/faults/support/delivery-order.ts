import type { CollectedMessage } from '@integrations/testing';

/** One CloudEvent as it sits on a topic. */
export interface Delivery {
  id: string;
  subject: string;
  sequence: number;
  type: string;
  partition: number;
  offset: bigint;
  /** The record's CreateTime: when the publishing replica produced it. */
  timestamp: number;
  /** The CloudEvent's `time` (ms): when the event was decided, before it was stored. */
  time: number;
  receivedAt: number;
}

export function deliveriesOf(messages: readonly CollectedMessage[]): Delivery[] {
  return messages.map((message) => {
    const event = JSON.parse(message.value ?? '{}') as {
      id: string;
      subject: string;
      sequence: string;
      type: string;
      time?: string;
    };
    return {
      id: event.id,
      subject: event.subject,
      sequence: Number(event.sequence),
      type: event.type,
      partition: message.partition,
      offset: BigInt(message.offset),
      timestamp: message.timestamp,
      time: event.time ? Date.parse(event.time) : NaN,
      receivedAt: message.receivedAt,
    };
  });
}

export interface DeliveryVerdict {
  /** Broken promises: a stream on two partitions, a version skipped or delivered before its predecessor, a repeat that is not the same event. */
  problems: string[];
  /** Second (and later) copies of an event, with the first copy. */
  duplicates: Array<{ first: Delivery; again: Delivery }>;
}

/**
 * Per-stream order as at-least-once allows it: in each partition, in offset order, the first copy
 * of every stream's events comes as 1, 2, 3, … without a gap; anything else is a repeat of an event
 * already delivered (same CloudEvent id), which consumers absorb (idempotent by subject and sequence).
 */
export function checkDeliveries(deliveries: readonly Delivery[]): DeliveryVerdict {
  const problems: string[] = [];
  const duplicates: DeliveryVerdict['duplicates'] = [];
  const partitionOf = new Map<string, number>();
  const head = new Map<string, number>();
  const first = new Map<string, Delivery>();
  const ordered = [...deliveries].sort((a, b) =>
    a.partition !== b.partition ? a.partition - b.partition : a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0,
  );
  for (const delivery of ordered) {
    const key = `${delivery.subject}@${delivery.sequence}`;
    const partition = partitionOf.get(delivery.subject);
    if (partition !== undefined && partition !== delivery.partition) {
      problems.push(`${delivery.subject} is on partitions ${partition} and ${delivery.partition}: its order is lost`);
      continue;
    }
    partitionOf.set(delivery.subject, delivery.partition);
    const seen = head.get(delivery.subject) ?? 0;
    if (delivery.sequence <= seen) {
      const original = first.get(key);
      if (original && original.id === delivery.id) duplicates.push({ first: original, again: delivery });
      else
        problems.push(
          `${key} (offset ${delivery.offset}) comes after version ${seen} ${original ? `with another id (${delivery.id} vs ${original.id})` : 'without having been delivered before'}`,
        );
      continue;
    }
    if (delivery.sequence !== seen + 1)
      problems.push(
        `${delivery.subject} jumps from version ${seen} to ${delivery.sequence} (offset ${delivery.offset})`,
      );
    head.set(delivery.subject, delivery.sequence);
    first.set(key, delivery);
  }
  return { problems, duplicates };
}
