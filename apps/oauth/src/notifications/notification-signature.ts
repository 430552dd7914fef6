import { PARTNER_SIGNATURE_PREFIX } from '@integrations/contracts';
import { createHmac } from 'node:crypto';

/**
 * `sha256=<hex>`: HMAC-SHA256 of the exact body bytes, keyed with the consumer secret (the value of
 * the X-Integrations-Signature header). The partner computes the same over the bytes it received.
 */
export function signNotification(consumerSecret: string, body: string): string {
  return PARTNER_SIGNATURE_PREFIX + createHmac('sha256', consumerSecret).update(body, 'utf8').digest('hex');
}
