import { z } from 'zod';

/**
 * `POST /integrations/{id}/activation/completion` (registry), sent by the oauth service when a
 * partner completed the token exchange, before it answers the partner (docs/adr/0006 §2). `grantId`
 * is the id of the AccessTokenGranted event that the oauth topic also carries: the completion is
 * idempotent by it, so the Kafka path that follows changes nothing.
 */
export const CompleteActivationRequestSchema = z.strictObject({
  grantId: z.string().regex(/^[0-9a-f-]{36}$/i, 'must be a UUID'),
});
export type CompleteActivationRequest = z.infer<typeof CompleteActivationRequestSchema>;

export const CompleteActivationReplySchema = z.strictObject({
  outcome: z.enum(['completed', 'duplicate', 'gone', 'not-pending']),
  /** The stream version after the completion (completed only). */
  version: z.number().int().positive().optional(),
});
export type CompleteActivationReply = z.infer<typeof CompleteActivationReplySchema>;
