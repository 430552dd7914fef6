/** The InternalServiceClient of the config service. */
export const CONFIG_CLIENT = Symbol('CONFIG_CLIENT');
