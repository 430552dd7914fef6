import type { IHeaders } from 'kafkajs';

/**
 * Kafka headers arrive as Buffers, and a key repeated in one record arrives as an array. The port
 * exposes one string per key; for a repeated key the last value wins, as Java's `lastHeader` does.
 */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  if (!headers) return decoded;
  for (const [key, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    decoded[key] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return decoded;
}

export function decodeNullable(value: Buffer | null | undefined): string | null {
  return value == null ? null : value.toString('utf8');
}
