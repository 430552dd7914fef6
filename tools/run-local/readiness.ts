import type { Readiness } from './services';

export interface ProbeResult {
  ready: boolean;
  /** What the service said, for progress lines: `HTTP 503 mongo down`, `ready (degraded: kafka down)`, `not listening yet`. */
  detail: string;
}

/** One readiness probe; never throws. */
export async function probe(baseUrl: string, readiness: Readiness, timeoutMs = 2000): Promise<ProbeResult> {
  try {
    const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.text()).slice(0, 300);
    if (readiness === 'http') return { ready: true, detail: `HTTP ${response.status}` };
    // 200 `degraded`: only a non-critical dependency (Kafka) is down; the service takes traffic.
    if (response.status === 200)
      return { ready: true, detail: body.includes('"degraded"') ? `ready (degraded: ${summarise(body)})` : 'ready' };
    return { ready: false, detail: `HTTP ${response.status} ${summarise(body)}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause === 'ECONNREFUSED') return { ready: false, detail: 'not listening yet' };
    if ((error as Error).name === 'TimeoutError') return { ready: false, detail: `no answer within ${timeoutMs} ms` };
    return { ready: false, detail: cause ?? (error as Error).message };
  }
}

/** `{"status":"down","checks":{"mongo":"down","kafka":"up"}}` -> `mongo down`. */
function summarise(body: string): string {
  try {
    const parsed = JSON.parse(body) as { checks?: Record<string, string> };
    if (parsed.checks) {
      const down = Object.entries(parsed.checks).filter(([, state]) => state !== 'up');
      if (down.length) return down.map(([name, state]) => `${name} ${state}`).join(', ');
    }
  } catch {
    // Not JSON: show it as it is.
  }
  return body.replace(/\s+/g, ' ').trim();
}
