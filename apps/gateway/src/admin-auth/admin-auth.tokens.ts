export const ADMIN_AUTH_MODELS = Symbol('ADMIN_AUTH_MODELS');
