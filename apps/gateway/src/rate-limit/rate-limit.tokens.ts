/** `ClientAddressOf`: the client address the limits count (GATEWAY_TRUSTED_PROXIES applied). */
export const CLIENT_ADDRESS = Symbol('CLIENT_ADDRESS');
