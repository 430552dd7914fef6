import { z } from 'zod';

// Field schemas shared by the integration events. Formats (email syntax, URL schemes, name length)
// are enforced at the HTTP edge; the contract only fixes the shape, so that a value the gateway
// accepted can never make an already-stored event unpublishable.

export const IntegrationId = z.string().min(1);
export const IntegrationName = z.string().min(1);
export const ResourceAccess = z.enum(['all', 'custom']);
/** `tokens`: credentials returned to the admin; `exchange`: OAuth handshake with the third party. */
export const ActivationMode = z.enum(['tokens', 'exchange']);
export const SetupType = z.enum(['manual', 'config']);
/** Magento ACL resource ids, e.g. `Magento_Sales::sales`. */
export const ResourceIds = z.array(z.string().min(1));

export type ResourceAccess = z.infer<typeof ResourceAccess>;
export type ActivationMode = z.infer<typeof ActivationMode>;
export type SetupType = z.infer<typeof SetupType>;

/** An instant in UTC as the registry stores it (`2027-01-31T23:00:00.000Z`). */
export const Instant = z.iso.datetime();
/** CIDR ranges in canonical form (`203.0.113.0/24`, `2001:db8::/32`); the edge checks and normalises them. */
export const IpAllowList = z.array(z.string().min(1));
/**
 * An integration's own rate limit: at most `requestsPerMinute` calls in a minute, at most `burst` of
 * them in one second. Counted by the gateways (docs/adr/0010-integration-controls.md).
 */
export const RateLimit = z.strictObject({
  requestsPerMinute: z.number().int().positive(),
  burst: z.number().int().positive(),
});
export type RateLimit = z.infer<typeof RateLimit>;
