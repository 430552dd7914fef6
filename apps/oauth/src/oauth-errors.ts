// Transitional: post-credentials.ts (owned by the security work) still imports this path. Once it
// imports './oauth.errors', delete this file.
export { callbackAddressRefused, callbackFailed, callbackUrlInvalid } from './oauth.errors';
