/** The service's pino logger (structured fields; Nest's own Logger would flatten them to text). */
export const REGISTRY_LOGGER = Symbol('registry logger');
