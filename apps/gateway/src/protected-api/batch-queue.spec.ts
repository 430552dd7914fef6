import { BatchQueue } from './batch-queue';

/** A queue whose sends are recorded and answered by `answer` (upper-case echo by default). */
function queue(
  limits = { maxItems: 100, maxBytes: 1_000 },
  answer: (items: string[]) => Promise<string[]> = async (items) => items.map((item) => item.toUpperCase()),
) {
  const sent: string[][] = [];
  const batches = new BatchQueue<string, string>(
    (items) => {
      sent.push(items);
      return answer(items);
    },
    limits,
    (item) => item.length,
    (expected, got) => new Error(`expected ${expected}, got ${got}`),
  );
  return { batches, sent };
}

describe('BatchQueue', () => {
  it('sends everything submitted in one turn of the event loop as one batch, answers in order', async () => {
    const { batches, sent } = queue();
    const answers = await Promise.all(['a', 'b', 'c'].map((item) => batches.submit(item)));
    expect(answers).toEqual(['A', 'B', 'C']);
    expect(sent).toEqual([['a', 'b', 'c']]);
  });

  it('starts a new batch in the next turn', async () => {
    const { batches, sent } = queue();
    const first = batches.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    const second = batches.submit('b');
    expect(await Promise.all([first, second])).toEqual(['A', 'B']);
    expect(sent).toEqual([['a'], ['b']]);
  });

  it('cuts batches at the item and byte limits', async () => {
    const byItems = queue({ maxItems: 2, maxBytes: 1_000 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((item) => byItems.batches.submit(item)));
    expect(byItems.sent).toEqual([['a', 'b'], ['c', 'd'], ['e']]);

    const byBytes = queue({ maxItems: 100, maxBytes: 5 });
    await Promise.all(['aaa', 'bb', 'c', 'dddddd'].map((item) => byBytes.batches.submit(item)));
    // An item larger than the limit still travels, alone.
    expect(byBytes.sent).toEqual([['aaa', 'bb'], ['c'], ['dddddd']]);
  });

  it('fails every item of a failed batch, and only those', async () => {
    let calls = 0;
    const { batches } = queue(undefined, async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      return items;
    });
    const failed = ['a', 'b'].map((item) => batches.submit(item));
    await expect(Promise.all(failed.map((p) => p.catch((error: Error) => error.message)))).resolves.toEqual([
      'down',
      'down',
    ]);
    await expect(batches.submit('c')).resolves.toBe('c');
  });

  it('fails a batch that answers the wrong number of results, never shifting answers onto other items', async () => {
    const { batches } = queue(undefined, async (items) => items.slice(1));
    const results = await Promise.allSettled(['a', 'b'].map((item) => batches.submit(item)));
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('expected 2, got 1');
  });

  it('fails the batch when send throws synchronously', async () => {
    const { batches } = queue(undefined, () => {
      throw new Error('sync');
    });
    await expect(batches.submit('a')).rejects.toThrow('sync');
  });
});
