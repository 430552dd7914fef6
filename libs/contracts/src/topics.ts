/**
 * Kafka topics of the platform. The `.v1` suffix is the contract version: a breaking change of an
 * event gets a new `schemaversion` first and a new topic only when consumers cannot be upgraded.
 */
export const Topics = {
  /** Integration lifecycle; key = integration id. */
  integration: 'integrations.integration.v1',
  /** OAuth side effects (usage of an integration's tokens); key = integration id. */
  oauth: 'integrations.oauth.v1',
  /** Settings changes (guest access, OAuth settings); key = config stream id. */
  config: 'integrations.config.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);
