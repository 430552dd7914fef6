import { PositionClock } from './position-clock';
import { StreamHeads } from './stream-heads';

describe('StreamHeads', () => {
  it('never moves a stream head backwards', () => {
    const heads = new StreamHeads();
    heads.remember('s', { version: 5, position: 50 });
    heads.remember('s', { version: 3, position: 30 });
    expect(heads.get('s')).toEqual({ version: 5, position: 50 });
  });

  it('forgets the least recently used stream beyond its capacity', () => {
    const heads = new StreamHeads(2);
    heads.remember('a', { version: 1, position: 1 });
    heads.remember('b', { version: 1, position: 2 });
    heads.get('a');
    heads.remember('c', { version: 1, position: 3 });
    expect(heads.get('a')).toBeDefined();
    expect(heads.get('b')).toBeUndefined();
    expect(heads.get('c')).toBeDefined();
  });
});

describe('PositionClock', () => {
  it('hands out strictly increasing positions, above the floor, close to the time in µs', () => {
    const clock = new PositionClock();
    const before = Date.now() * 1000;
    const positions = Array.from({ length: 1_000 }, () => clock.next(0));
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
    expect(positions[0]).toBeGreaterThanOrEqual(before);
    const floor = Date.now() * 1000 + 5_000_000;
    expect(clock.next(floor)).toBe(floor + 1);
  });

  it('jumps past a position another process took', () => {
    const clock = new PositionClock();
    const taken = clock.next(0) + 10;
    clock.skipPast(taken);
    expect(clock.next(0)).toBeGreaterThan(taken);
  });
});
