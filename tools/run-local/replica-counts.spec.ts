import { LaunchError, replicaCounts } from './launch-system';
import type { ServiceSpec } from './services';

const spec = (name: string, replicable: boolean): ServiceSpec => ({
  name,
  main: `apps/${name}/src/main.ts`,
  envPrefix: name.toUpperCase(),
  defaultPort: 0,
  stateful: replicable,
  readiness: 'health',
  tier: 0,
  edge: false,
  replicable,
});
const specs = [spec('registry', true), spec('gateway', true), spec('commerce-api', false)];

describe('replicaCounts', () => {
  it('runs one process of each by default', () => {
    expect(replicaCounts(specs, undefined)).toEqual({ registry: 1, gateway: 1, 'commerce-api': 1 });
  });

  it('gives a number to every platform service and keeps the examples at one', () => {
    expect(replicaCounts(specs, 3)).toEqual({ registry: 3, gateway: 3, 'commerce-api': 1 });
  });

  it('takes counts by service', () => {
    expect(replicaCounts(specs, { gateway: 2 })).toEqual({ registry: 1, gateway: 2, 'commerce-api': 1 });
  });

  it('refuses counts outside 1-9, and replicas of an example', () => {
    for (const bad of [0, 10, 1.5])
      expect(() => replicaCounts(specs, bad)).toThrow(
        new LaunchError(`replicas of registry must be a whole number from 1 to 9; got ${bad}`),
      );
    expect(() => replicaCounts(specs, { 'commerce-api': 2 })).toThrow(
      'commerce-api runs once (an example, not a platform service); it takes no replicas',
    );
  });
});
