import pino from 'pino';
import { ShutdownSequence } from './shutdown-sequence';

describe('ShutdownSequence', () => {
  const logger = pino({ level: 'silent' });

  it('stops stage by stage (consumers, timers, relay, kafka, database), the last registered first within a stage', async () => {
    const order: string[] = [];
    const sequence = new ShutdownSequence(logger);
    const step = (name: string) => async () => void order.push(name);
    sequence.add('database', 'mongo', step('mongo'));
    sequence.add('kafka', 'kafka', step('kafka'));
    sequence.add('consumers', 'config view', step('config view'));
    sequence.add('relay', 'relay', step('relay'));
    sequence.add('timers', 'usage', step('usage'));
    sequence.add('consumers', 'integration events', step('integration events'));
    sequence.add('timers', 'housekeeping', step('housekeeping'));
    await sequence.close();
    expect(order).toEqual(['integration events', 'config view', 'housekeeping', 'usage', 'relay', 'kafka', 'mongo']);
  });

  it('runs every step even when one fails, and only once however often it is closed', async () => {
    const ran: string[] = [];
    const sequence = new ShutdownSequence(logger);
    sequence.add('kafka', 'kafka', async () => {
      ran.push('kafka');
      throw new Error('broker gone');
    });
    sequence.add('database', 'mongo', async () => void ran.push('mongo'));
    await Promise.all([sequence.close(), sequence.close()]);
    await sequence.close();
    expect(ran).toEqual(['kafka', 'mongo']);
  });

  it('stops a part that finished starting after closing began (a boot that failed while it connected)', async () => {
    const sequence = new ShutdownSequence(logger);
    await sequence.close();
    let stopped = false;
    sequence.add('database', 'late mongo', async () => void (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(true);
  });
});
