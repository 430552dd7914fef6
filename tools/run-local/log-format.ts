/**
 * Terminal rendering of service output. Services write pino JSON lines (kept as they are in
 * `.local/logs/<service>.log`); on the terminal they read better as `time level message key=value`.
 */
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];

/** pino numeric levels (10..60) and our string labels both map to a name. */
function levelOf(value: unknown): Level | undefined {
  if (typeof value === 'string' && (LEVELS as readonly string[]).includes(value)) return value as Level;
  if (typeof value === 'number') return LEVELS[Math.min(5, Math.max(0, Math.floor(value / 10) - 1))];
  return undefined;
}

const SKIPPED_FIELDS = new Set(['level', 'time', 'msg', 'message', 'service', 'name', 'pid', 'hostname', 'v']);
const MAX_EXTRA_CHARS = 240;

export interface FormatOptions {
  color: boolean;
  /** Width the service name is padded to, so messages line up. */
  nameWidth: number;
  /** Lines below this level are dropped (plain text lines always count as info). */
  minLevel: Level;
  /** Print the JSON as it came. */
  raw: boolean;
}

const SERVICE_COLORS = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];
const LEVEL_COLORS: Record<Level, number> = { trace: 90, debug: 90, info: 32, warn: 33, error: 31, fatal: 41 };

const paint = (enabled: boolean, code: number, text: string) => (enabled ? `\x1b[${code}m${text}\x1b[0m` : text);

export function serviceColor(index: number): number {
  return SERVICE_COLORS[index % SERVICE_COLORS.length];
}

/** One output line -> the terminal line, or undefined when it is filtered out. */
export function formatLine(
  service: string,
  serviceColorCode: number,
  line: string,
  options: FormatOptions,
): string | undefined {
  const prefix = `${paint(options.color, serviceColorCode, service.padEnd(options.nameWidth))} | `;
  const parsed = parseJson(line);
  const level = parsed ? (levelOf(parsed.level) ?? 'info') : 'info';
  if (LEVELS.indexOf(level) < LEVELS.indexOf(options.minLevel)) return undefined;
  if (!parsed || options.raw) return `${prefix}${line}`;

  const time =
    typeof parsed.time === 'string'
      ? parsed.time.slice(11, 23)
      : typeof parsed.time === 'number'
        ? new Date(parsed.time).toISOString().slice(11, 23)
        : '';
  const message = String(parsed.msg ?? parsed.message ?? '');
  const extras = Object.entries(parsed)
    .filter(([key, value]) => !SKIPPED_FIELDS.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const shownExtras = extras.length > MAX_EXTRA_CHARS ? `${extras.slice(0, MAX_EXTRA_CHARS)}…` : extras;
  const levelText = paint(options.color, LEVEL_COLORS[level], level.toUpperCase().padEnd(5));
  return `${prefix}${time ? `${time} ` : ''}${levelText} ${message}${shownExtras ? `  ${paint(options.color, 90, shownExtras)}` : ''}`;
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
