/** Errors raised by the message bus itself, with stable codes (InvalidMessageError lives in the port). */
export class MessageBusClosedError extends Error {
  override readonly name = 'MessageBusClosedError';
  readonly code = 'MESSAGING.CLOSED';
  constructor(operation: string) {
    super(`The message bus is disconnected; cannot ${operation}`);
  }
}

/**
 * A publish that did not get its acknowledgements. The messages may or may not have been written
 * (the acknowledgement can be lost after the write): callers retry, consumers de-duplicate.
 */
export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
  readonly code = 'MESSAGING.PUBLISH_FAILED';
  constructor(
    readonly topic: string,
    cause: unknown,
  ) {
    super(
      `Publishing to ${topic} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      {
        cause,
      },
    );
  }
}
