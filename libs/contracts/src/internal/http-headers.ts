/** Headers every internal call carries (lower case, as Node exposes them). */
export const InternalHeaders = {
  /** The request's correlation id, passed on from service to service and into events. */
  correlationId: 'x-correlation-id',
  /** The admin (username) or system actor on whose behalf a command runs. */
  actor: 'x-actor',
  /**
   * Sent by a gateway that reads `integrationId` on refused verdicts (usage by integration): an
   * oauth service includes it only when asked, so a gateway that predates the field (its verdict
   * schema is strict) never gets one during a rolling deploy.
   */
  refusalAttribution: 'x-refusal-attribution',
} as const;
