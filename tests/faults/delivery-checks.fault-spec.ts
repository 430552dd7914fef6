import { checkDeliveries, type Delivery } from './support/delivery-order';

/** The leader-kill test's verdict on a topic comes from this check: here it meets each way to fail. */
const delivery = (
  subject: string,
  sequence: number,
  offset: number,
  id = `${subject}-${sequence}`,
  partition = 0,
): Delivery => ({
  id,
  subject,
  sequence,
  type: 'IntegrationUpdated',
  partition,
  offset: BigInt(offset),
  timestamp: offset,
  time: offset,
  receivedAt: offset,
});

describe('per-stream delivery check', () => {
  it('accepts streams in order, interleaved, and repeats of already delivered events', () => {
    const verdict = checkDeliveries([
      delivery('a', 1, 0),
      delivery('b', 1, 1),
      delivery('a', 2, 2),
      delivery('a', 3, 3),
      // A new leader republishes what the dead one had not marked published.
      delivery('a', 2, 4),
      delivery('a', 3, 5),
      delivery('a', 4, 6),
      delivery('b', 2, 7),
    ]);
    expect(verdict.problems).toEqual([]);
    expect(verdict.duplicates.map(({ first, again }) => [first.offset, again.offset])).toEqual([
      [2n, 4n],
      [3n, 5n],
    ]);
  });

  it('reads each partition in offset order, whatever the arrival order', () => {
    expect(checkDeliveries([delivery('a', 2, 1), delivery('a', 1, 0)]).problems).toEqual([]);
  });

  it('names a gap, a version delivered before its predecessor, a repeat with another id and a split stream', () => {
    expect(checkDeliveries([delivery('a', 1, 0), delivery('a', 3, 1)]).problems).toEqual([
      'a jumps from version 1 to 3 (offset 1)',
    ]);
    expect(checkDeliveries([delivery('a', 2, 0), delivery('a', 1, 1)]).problems).toEqual([
      'a jumps from version 0 to 2 (offset 0)',
      'a@1 (offset 1) comes after version 2 without having been delivered before',
    ]);
    expect(checkDeliveries([delivery('a', 1, 0), delivery('a', 1, 1, 'other')]).problems).toEqual([
      'a@1 (offset 1) comes after version 1 with another id (other vs a-1)',
    ]);
    expect(checkDeliveries([delivery('a', 1, 0), delivery('a', 2, 0, undefined, 1)]).problems).toEqual([
      'a is on partitions 0 and 1: its order is lost',
    ]);
  });
});
