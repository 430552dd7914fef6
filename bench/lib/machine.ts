import { cpus, loadavg, totalmem, release, platform } from 'node:os';

/** The machine a figure was measured on, as recorded next to it in docs/PERFORMANCE.md. */
export function machineDescription(): string {
  const cores = cpus();
  const model = cores[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const memory = (totalmem() / 2 ** 30).toFixed(1);
  return `${cores.length} × ${model}, ${memory} GiB RAM, ${platform()} ${release()}, Node ${process.version}`;
}

/** `uptime`'s 1/5/15-minute load averages: on a shared machine they explain most of the spread. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

export function cpuCount(): number {
  return cpus().length;
}
