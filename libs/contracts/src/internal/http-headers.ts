/** Headers of internal calls (lower case, as Node exposes them). */
export const InternalHeaders = {
  /** The request's correlation id, passed on from service to service and into events. */
  correlationId: 'x-correlation-id',
  /** The admin (username) or system actor on whose behalf a command runs. */
  actor: 'x-actor',
  /** The version a command expects (`IfMatchSchema`); the admin API takes it too. */
  ifMatch: 'if-match',
  /**
   * On a read that waited for the caller's last write (read-your-writes) and gave up: `timeout`,
   * the answer may predate that write. The gateway passes it on to the admin.
   */
  readYourWrites: 'x-read-your-writes',
} as const;
