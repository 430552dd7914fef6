import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of a service process. One registry per process: a service runs alone in its
 * process in production; tests may run several in one process, so every platform metric carries a
 * `service` label instead of registry-wide default labels, and metrics are created get-or-create.
 */
export const metricsRegistry = new Registry();

let defaultsCollected = false;

/** Process metrics (RSS, heap, event-loop lag, GC, open handles), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

interface MetricConfig<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
}

export function getOrCreateCounter<L extends string>(config: MetricConfig<L>): Counter<L> {
  return (
    (metricsRegistry.getSingleMetric(config.name) as Counter<L> | undefined) ??
    new Counter<L>({ ...config, labelNames: [...config.labelNames], registers: [metricsRegistry] })
  );
}

export function getOrCreateGauge<L extends string>(config: MetricConfig<L>): Gauge<L> {
  return (
    (metricsRegistry.getSingleMetric(config.name) as Gauge<L> | undefined) ??
    new Gauge<L>({ ...config, labelNames: [...config.labelNames], registers: [metricsRegistry] })
  );
}

export function getOrCreateHistogram<L extends string>(config: MetricConfig<L> & { buckets?: number[] }): Histogram<L> {
  return (
    (metricsRegistry.getSingleMetric(config.name) as Histogram<L> | undefined) ??
    new Histogram<L>({ ...config, labelNames: [...config.labelNames], registers: [metricsRegistry] })
  );
}

// --- The platform's own metrics: same names in every service, so one dashboard covers them all. ---

const httpRequestDuration = () =>
  getOrCreateHistogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP requests served, by route pattern (never the raw path) and status.',
    labelNames: ['service', 'method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

const consumerLag = () =>
  getOrCreateGauge({
    name: 'kafka_consumer_lag_messages',
    help: 'Messages between the last processed offset and the partition end, per consumer group and partition.',
    labelNames: ['service', 'group', 'topic', 'partition'] as const,
  });

const relayBacklog = () =>
  getOrCreateGauge({
    name: 'event_relay_backlog_events',
    help: "Commits (one command's events each) stored in the event store and not yet published to Kafka.",
    labelNames: ['service', 'relay'] as const,
  });

const relayPublished = () =>
  getOrCreateCounter({
    name: 'event_relay_published_events_total',
    help: 'Events the relay published to Kafka.',
    labelNames: ['service', 'relay'] as const,
  });

const verificationOutcomes = () =>
  getOrCreateCounter({
    name: 'oauth_verification_outcomes_total',
    help: 'OAuth verifications (api calls, token requests), by outcome and, for rejections, the problem code.',
    labelNames: ['service', 'kind', 'outcome', 'problem'] as const,
  });

export interface ConsumerLagLabels {
  group: string;
  topic: string;
  partition: number | string;
}

/** A consumer reports how far behind it is: the partition's high watermark minus its next offset. */
export function recordConsumerLag(service: string, labels: ConsumerLagLabels, lag: number): void {
  consumerLag().set(
    { service, group: labels.group, topic: labels.topic, partition: String(labels.partition) },
    Math.max(0, lag),
  );
}

/**
 * A partition this member no longer reads (a rebalance moved it): its last value would stay frozen
 * and hide the lag the new owner reports.
 */
export function forgetConsumerLag(service: string, labels: ConsumerLagLabels): void {
  consumerLag().remove({ service, group: labels.group, topic: labels.topic, partition: String(labels.partition) });
}

/** The outbox relay reports what is left to publish after each pass, and what it published. */
export function recordRelayBacklog(service: string, relay: string, backlog: number, publishedNow = 0): void {
  relayBacklog().set({ service, relay }, Math.max(0, backlog));
  recordRelayPublished(service, relay, publishedNow);
}

/** What the relay published, when the backlog could not be counted (database down). */
export function recordRelayPublished(service: string, relay: string, published: number): void {
  if (published > 0) relayPublished().inc({ service, relay }, published);
}

export type VerificationKind = 'token-request' | 'token-access' | 'api-call';

/**
 * One OAuth verification. `problem` names why it was refused (`signature_invalid`, `nonce_used`, …,
 * the oauth service derives it from its stable error codes): a bounded set, never a value from the
 * request (Magento's `oauth_problem` text quotes request values).
 */
export function recordVerification(
  service: string,
  kind: VerificationKind,
  outcome: 'accepted' | 'rejected',
  problem = 'none',
): void {
  verificationOutcomes().inc({ service, kind, outcome, problem });
}

/** Observes every request's duration; the route is the matched pattern (`/admin/v1/integrations/:id`). */
export function httpMetricsMiddleware(service: string): RequestHandler {
  const histogram = httpRequestDuration();
  return (req: Request, res: Response, next: NextFunction) => {
    const end = histogram.startTimer();
    res.once('finish', () => {
      end({ service, method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  };
}

/** The same observation for a request served outside express (a raw route, bootstrap.ts). */
export function observeHttpRequest(
  service: string,
  method: string,
  route: string,
  status: number,
  startedAt: bigint,
): void {
  httpRequestDuration().observe(
    { service, method, route, status: String(status) },
    Number(process.hrtime.bigint() - startedAt) / 1e9,
  );
}

/** `GET /metrics` in Prometheus text format; other methods fall through (404 from the router). */
export function metricsEndpoint(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    metricsRegistry.metrics().then(
      (text) => {
        res.setHeader('Content-Type', metricsRegistry.contentType);
        res.setHeader('Cache-Control', 'no-store');
        res.status(200).send(text);
      },
      (error: unknown) => next(error),
    );
  };
}

/**
 * The route pattern Express matched, so `/integrations/42` and `/integrations/43` share a series.
 * Unmatched requests (404s, probes for random paths) share one label: raw paths would let any
 * client create unbounded series.
 */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${req.baseUrl ?? ''}${pattern}`;
  if (req.originalUrl.split('?')[0] === '/metrics') return '/metrics';
  return 'unmatched';
}
