/** `--name value` or `--name=value` from the command line, as a number; `fallback` when absent. */
export function numberArg(name: string, fallback: number): number {
  const raw = stringArg(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

export function stringArg(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === name) return args[index + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

/** The command that reproduces this run, for the report. */
export function commandLine(script: string): string {
  const args = process.argv.slice(2);
  return args.length ? `npm run ${script} -- ${args.join(' ')}` : `npm run ${script}`;
}
