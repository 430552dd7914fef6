/** One problem found by a schema; `path` names a field, never its value (values may be secrets). */
export interface ContractIssue {
  path: string;
  message: string;
}

/**
 * A message or an event does not match its contract. Consumers route it to the dead-letter topic;
 * producers have a bug. The message lists field paths and what was expected, never input values.
 */
export class ContractValidationError extends Error {
  override readonly name = 'ContractValidationError';
  readonly code = 'CONTRACTS.INVALID_EVENT';
  constructor(
    message: string,
    readonly issues: readonly ContractIssue[] = [],
  ) {
    super(message);
  }
}
