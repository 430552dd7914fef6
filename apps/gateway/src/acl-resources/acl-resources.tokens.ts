/** The InternalServiceClient of the acl service (admin side). */
export const ACL_CLIENT = Symbol('ACL_CLIENT');
