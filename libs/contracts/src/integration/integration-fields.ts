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
