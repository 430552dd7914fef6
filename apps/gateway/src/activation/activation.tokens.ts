/** The InternalServiceClient of the oauth service (credentials issuance). */
export const OAUTH_ADMIN_CLIENT = Symbol('OAUTH_ADMIN_CLIENT');
