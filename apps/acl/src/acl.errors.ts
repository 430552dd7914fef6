import { badRequest, conflict, notFound } from '@integrations/service-kit';

/**
 * Every error code the acl service answers with, and its HTTP status: the one place they are mapped.
 * (Boot errors, which never reach a client, carry ACL.CONFIG_FILE_UNREADABLE, ACL.CATALOG_INVALID
 * and ACL.ROUTE_MAP_INVALID and stop the service.)
 */
export const AclErrorCodes = {
  /** A decision request (single or batch) that does not follow the contract. 400. */
  invalidDecisionRequest: 'ACL.INVALID_DECISION_REQUEST',
  /** A hold or snapshot body that does not follow the contract. 400. */
  invalidAccessRequest: 'ACL.INVALID_ACCESS_REQUEST',
  /** A hold named by something other than a command id (UUID). 400. */
  invalidCommandId: 'ACL.INVALID_COMMAND_ID',
  /** The path names another integration or version than the body. 400. */
  pathMismatch: 'ACL.PATH_MISMATCH',
  /** The same command id was already used for another hold. 409. */
  holdConflict: 'ACL.HOLD_CONFLICT',
  /** No grants known for this integration (yet). 404. */
  integrationNotFound: 'ACL.INTEGRATION_NOT_FOUND',
} as const;

export const invalidCommandId = (commandId: string) =>
  badRequest(
    AclErrorCodes.invalidCommandId,
    `A hold is named by the id (a UUID) of the command that places it; got "${commandId.slice(0, 100)}".`,
  );

export const invalidVersion = (version: string) =>
  badRequest(
    AclErrorCodes.invalidAccessRequest,
    `The snapshot version in the path must be a positive integer; got "${version.slice(0, 30)}".`,
  );

export const pathMismatch = (what: 'integration id' | 'version', inPath: string, inBody: string | number) =>
  badRequest(
    AclErrorCodes.pathMismatch,
    `The ${what} in the path (${inPath}) differs from access.${what === 'version' ? 'version' : 'integrationId'} in the body (${inBody}). Send both the same.`,
  );

export const holdConflict = (commandId: string) =>
  conflict(
    AclErrorCodes.holdConflict,
    `Command ${commandId} already holds access of another integration or version; a command places one hold. Use a new command id.`,
  );

export const integrationNotFound = () =>
  notFound(AclErrorCodes.integrationNotFound, 'The acl service has no grants for this integration (yet).');
