import { TOPIC_CATALOGUE, type PlatformService } from './topics';

/**
 * Who talks to whom, declared once (docs/adr/0006). The Kubernetes NetworkPolicies allow exactly
 * these edges and nothing else, and the services' env schemas read exactly the `<SERVICE>_URL`
 * variables these edges imply; tests/deploy checks both against the rendered manifests.
 */

export const PLATFORM_SERVICES: readonly PlatformService[] = ['gateway', 'registry', 'oauth', 'acl', 'config'];

/** One service calling another over HTTP, at the callee's `<CALLEE>_URL`. */
export interface HttpCall {
  from: PlatformService;
  to: PlatformService;
  why: string;
}

export const HTTP_CALLS: readonly HttpCall[] = [
  { from: 'gateway', to: 'registry', why: 'admin API on integrations; the integration of a consumer key' },
  { from: 'gateway', to: 'oauth', why: 'token exchange, signed-call verification, activation' },
  { from: 'gateway', to: 'acl', why: 'authorization decisions, the ACL resource tree' },
  { from: 'gateway', to: 'config', why: 'platform settings (admin API)' },
  { from: 'registry', to: 'acl', why: 'access holds and snapshots before and after a command commits' },
  { from: 'acl', to: 'registry', why: 'resolving a hold whose command never finished' },
  { from: 'oauth', to: 'registry', why: 'completing an activation before /oauth/token/access replies' },
];

/** Systems outside the platform's services. */
export type ExternalSystem =
  /** The Kafka cluster (bootstrap `KAFKA_BROKERS`). */
  | 'kafka'
  /** The service's own MongoDB database (`MONGO_URL`). */
  | 'mongodb'
  /** The commerce API behind the gateway (`UPSTREAM_COMMERCE_URL`). */
  | 'commerce-api'
  /** Partners' callback URLs: the credentials POST (public addresses, and what the allow-list opens). */
  | 'partner-callbacks';

export interface ExternalCall {
  from: PlatformService;
  to: ExternalSystem;
  why: string;
}

/**
 * Every service that produces or consumes a topic of the catalogue talks to Kafka (and ensures the
 * catalogue's topics at boot); the others never open a Kafka connection.
 */
export const KAFKA_CLIENTS: readonly PlatformService[] = PLATFORM_SERVICES.filter((service) =>
  TOPIC_CATALOGUE.some((topic) => topic.producer === service || topic.consumers.includes(service)),
);

export const EXTERNAL_CALLS: readonly ExternalCall[] = [
  ...PLATFORM_SERVICES.map((from): ExternalCall => ({ from, to: 'mongodb', why: 'its own database' })),
  ...KAFKA_CLIENTS.map((from): ExternalCall => ({ from, to: 'kafka', why: 'its topics (TOPIC_CATALOGUE)' })),
  { from: 'gateway', to: 'commerce-api', why: 'proxies the signed and guest /rest calls' },
  { from: 'oauth', to: 'partner-callbacks', why: 'POSTs consumer credentials to the callback URL' },
];

/** The services `service` calls over HTTP. */
export function httpCallees(service: PlatformService): PlatformService[] {
  return HTTP_CALLS.filter((call) => call.from === service).map((call) => call.to);
}
