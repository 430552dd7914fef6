import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from './report';

/** The parts of a V8 .cpuprofile (Chrome DevTools format, what `node --cpu-prof` writes) read here. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
}

export interface Share {
  name: string;
  /** Self time, microseconds per call. */
  usPerCall: number;
  /** Of the busy time. */
  percent: number;
}

export interface ProfileSummary {
  /** Sampled wall time, ms. */
  sampledMs: number;
  /** Not idle, ms (JavaScript, GC, native). */
  busyMs: number;
  busyUsPerCall: number;
  /** Self time by where the code lives (our folders, node core module, npm package, GC…). */
  groups: Share[];
  /** The heaviest functions by self time. */
  functions: Share[];
}

/**
 * Where a process's CPU went while it served `calls` calls: self time per sample node (a sample
 * lasts until the next one), grouped by the code's home, in microseconds per call.
 */
export function summarizeProfile(file: string, calls: number, top = 10): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const duration = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + duration);
  }
  let sampledUs = 0;
  let idleUs = 0;
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    sampledUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const group = homeOf(frame.url, frame.functionName);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const name =
      `${frame.functionName || '(anonymous)'} ${frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const busyUs = sampledUs - idleUs;
  const shares = (totals: Map<string, number>, limit: number): Share[] =>
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, usPerCall: us / calls, percent: (100 * us) / busyUs }));
  return {
    sampledMs: sampledUs / 1000,
    busyMs: busyUs / 1000,
    busyUsPerCall: busyUs / calls,
    groups: shares(groups, 12),
    functions: shares(functions, top),
  };
}

/** `apps/gateway`, `libs/oauth1`, `node:http`, `undici`, `(garbage collector)`… */
function homeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(V8 builtins and native)';
  if (url.startsWith('node:')) {
    const module = url.slice('node:'.length).replace(/^internal\//, '');
    return `node:${module.split('/')[0].replace(/^_/, '').replace(/\.js$/, '')}`;
  }
  const path = url.replace(/^file:\/\//, '');
  const packageAt = path.lastIndexOf('/node_modules/');
  if (packageAt !== -1) {
    const [scope, name] = path.slice(packageAt + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const local = relative(REPO_ROOT, path).split('/');
  return local.slice(0, 2).join('/');
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const packageAt = path.lastIndexOf('/node_modules/');
  if (packageAt !== -1) return path.slice(packageAt + '/node_modules/'.length);
  return url.startsWith('node:') ? url : relative(REPO_ROOT, path);
}

/** One line per group: `apps/gateway 41 µs (12%), undici 30 µs (9%), …`. */
export function describeShares(shares: Share[]): string {
  return shares
    .map((share) => `${share.name} ${share.usPerCall.toFixed(0)} µs (${share.percent.toFixed(0)}%)`)
    .join(', ');
}
