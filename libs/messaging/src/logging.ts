export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured log record. Never carries a message key, value or header value. */
export interface LogEntry {
  level: LogLevel;
  time: string;
  /** `messaging` for the bus itself, `kafkajs` for the client library. */
  logger: string;
  message: string;
  [field: string]: unknown;
}

/** The logging hook services pass in, e.g. `(e) => pino[e.level](e, e.message)`. */
export type MessagingLogger = (entry: LogEntry) => void;

export const LOG_LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Default hook: one JSON line per entry on stderr (stdout stays free for the service's own output). */
export const jsonLinesToStderr: MessagingLogger = (entry) => {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
};

export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** Filters by level and stamps time and source; a failing hook must never break message handling. */
export function createLog(hook: MessagingLogger, minLevel: LogLevel, source = 'messaging'): Log {
  const min = LOG_LEVEL_RANK[minLevel];
  return (level, message, fields) => {
    if (LOG_LEVEL_RANK[level] < min) return;
    try {
      hook({ ...fields, level, time: new Date().toISOString(), logger: source, message });
    } catch {
      // A logger that throws is a logger bug; swallowing it keeps consumers and producers alive.
    }
  };
}
