import { z } from 'zod';

/**
 * What the oauth service POSTs (JSON) to an integration's callback URL when the integration's access
 * changes (examples/third-party-app/README.md documents it for partners, and verifies it):
 *
 *   POST <callback URL>
 *   Content-Type: application/json
 *   X-Integrations-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the consumer secret>
 *
 * `id` is the same on every attempt of one notification (the partner deduplicates by it);
 * `timestamp` is the attempt's time, so each attempt is signed afresh and a partner can refuse a
 * replayed (old) body while accepting a late retry.
 */
export const PARTNER_SIGNATURE_HEADER = 'x-integrations-signature';
export const PARTNER_SIGNATURE_PREFIX = 'sha256=';

/**
 * The kinds of notification. Today the platform sends `integration.reauthorized` (the previous
 * access token no longer works) and `integration.deleted` (every credential is gone); the others
 * are sent once the integration controls that produce them exist.
 */
export const PartnerNotificationType = z.enum([
  'integration.reauthorized',
  'integration.deleted',
  'integration.suspended',
  'integration.resumed',
  'integration.expired',
]);
export type PartnerNotificationType = z.infer<typeof PartnerNotificationType>;

export const PartnerNotificationSchema = z.strictObject({
  /** Unique per notification, the same on every attempt. */
  id: z.uuid(),
  type: PartnerNotificationType,
  /** When this attempt was signed (ISO 8601, UTC). */
  timestamp: z.iso.datetime(),
  /** When the change happened. */
  occurredAt: z.iso.datetime(),
  /** 1 for the first attempt. */
  attempt: z.number().int().positive(),
  integration: z.strictObject({
    id: z.string().min(1),
    /** The consumer key the partner received; the secret that signed this body is its secret. */
    consumerKey: z.string().min(1),
  }),
});
export type PartnerNotification = z.infer<typeof PartnerNotificationSchema>;
