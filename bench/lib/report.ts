import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAverage, machineDescription } from './machine';

export type Verdict = 'PASS' | 'MISS' | 'INFO';

/** One line of a benchmark's result table: the baseline of the same run beside the measured figure. */
export interface ResultRow {
  metric: string;
  baseline: string;
  measured: string;
  ratio: string;
  target: string;
  verdict: Verdict;
}

export const REPO_ROOT = join(__dirname, '..', '..');
/** Everything a benchmark writes goes below this folder (git-ignored). */
export const BENCH_TMP = join(REPO_ROOT, 'tmp', 'bench');

/**
 * Collects a benchmark's rows and notes, prints them as a table, and writes the same content as a
 * Markdown section (ready for docs/PERFORMANCE.md) and JSON below tmp/bench/. Load averages are
 * taken at the start and at the end: on a shared machine they explain most of the spread.
 */
export class BenchReport {
  private readonly rows: ResultRow[] = [];
  private readonly notes: string[] = [];
  private readonly startedAt = new Date();
  private readonly loadAtStart = loadAverage();
  private readonly extra: Record<string, unknown> = {};

  constructor(
    readonly name: string,
    readonly command: string,
  ) {}

  row(row: ResultRow): void {
    this.rows.push(row);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Raw figures kept in the JSON file only (per-query timings, explain output). */
  data(key: string, value: unknown): void {
    this.extra[key] = value;
  }

  get verdicts(): Verdict[] {
    return this.rows.map((row) => row.verdict);
  }

  /** Prints the table and writes tmp/bench/<name>-<time>.{md,json}; returns the Markdown path. */
  finish(): string {
    const loadAtEnd = loadAverage();
    const header: ResultRow = {
      metric: 'metric',
      baseline: 'baseline (same run)',
      measured: 'measured',
      ratio: 'ratio',
      target: 'target',
      verdict: 'INFO',
    };
    const columns: Array<keyof ResultRow> = ['metric', 'baseline', 'measured', 'ratio', 'target', 'verdict'];
    const widths = columns.map((column) =>
      Math.max(
        ...[header, ...this.rows].map((row) => (column === 'verdict' && row === header ? 7 : row[column].length)),
      ),
    );
    const line = (row: ResultRow, isHeader = false) =>
      columns
        .map((column, index) => (isHeader && column === 'verdict' ? 'verdict' : row[column]).padEnd(widths[index]!))
        .join(' | ');

    const out = [
      '',
      `=== ${this.name} — ${this.startedAt.toISOString()} ===`,
      `machine: ${machineDescription()}`,
      `load average (1/5/15 min): start ${this.loadAtStart}, end ${loadAtEnd}`,
      '',
      line(header, true),
      widths.map((width) => '-'.repeat(width)).join('-|-'),
      ...this.rows.map((row) => line(row)),
      '',
      ...this.notes.map((note) => `- ${note}`),
      '',
    ];
    process.stdout.write(out.join('\n') + '\n');

    const markdown = [
      `Run of ${this.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: \`${this.command}\``,
      `on ${machineDescription()}; load average ${this.loadAtStart} at the start, ${loadAtEnd} at the end.`,
      '',
      `| ${columns.map((column) => (column === 'baseline' ? 'baseline (same run)' : column)).join(' | ')} |`,
      `|${columns.map(() => '---').join('|')}|`,
      ...this.rows.map((row) => `| ${columns.map((column) => row[column].replace(/\|/g, '\\|')).join(' | ')} |`),
      '',
      ...this.notes.map((note) => `- ${note}`),
      '',
    ].join('\n');

    mkdirSync(BENCH_TMP, { recursive: true });
    const stamp = this.startedAt.toISOString().replace(/[:.]/g, '-');
    const base = join(BENCH_TMP, `${this.name}-${stamp}`);
    writeFileSync(`${base}.md`, markdown);
    writeFileSync(
      `${base}.json`,
      JSON.stringify(
        {
          name: this.name,
          command: this.command,
          startedAt: this.startedAt,
          machine: machineDescription(),
          loadAtStart: this.loadAtStart,
          loadAtEnd,
          rows: this.rows,
          notes: this.notes,
          data: this.extra,
        },
        null,
        2,
      ),
    );
    process.stdout.write(`Markdown for docs/PERFORMANCE.md: ${relative(REPO_ROOT, base)}.md (raw figures: .json)\n`);
    return `${base}.md`;
  }
}

export function verdict(ok: boolean): Verdict {
  return ok ? 'PASS' : 'MISS';
}

/** `[bench:grid] message` with the elapsed time, so a long step shows it is alive. */
export function progress(name: string): (message: string) => void {
  const started = Date.now();
  return (message) => process.stdout.write(`[${name} +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
}
