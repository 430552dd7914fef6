/** Headers every internal call carries (lower case, as Node exposes them). */
export const InternalHeaders = {
  /** The request's correlation id, passed on from service to service and into events. */
  correlationId: 'x-correlation-id',
  /** The admin (username) or system actor on whose behalf a command runs. */
  actor: 'x-actor',
} as const;
