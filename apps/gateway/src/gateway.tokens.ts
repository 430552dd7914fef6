/** DI tokens shared by the gateway's modules. */
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');
export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');
export const GATEWAY_DB = Symbol('GATEWAY_DB');
/** `() => Date`; a token because tests and the lockout need a second implementation. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
