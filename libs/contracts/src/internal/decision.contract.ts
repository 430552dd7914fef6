import { z } from 'zod';
import { RateLimit } from '../integration/integration-fields';
import { MagentoErrorBodySchema } from './error-body';

/** One call for the acl service to decide: the method, the raw request target, and the caller. */
export const DecisionRequestSchema = z.strictObject({
  method: z.string().regex(/^[A-Za-z]{1,16}$/, 'must be an HTTP method'),
  /** Raw request target: `/rest/<store>/V1/...` or `/rest/V1/...`, query included. */
  path: z.string().min(1).max(16_384),
  /** null: an anonymous caller (or credentials that did not verify). */
  integrationId: z.string().min(1).nullable(),
  /**
   * The caller's address as the gateway sees it (its peer, or the client named by its trusted
   * proxies), for the integration's IP allow-list; null: unknown, which no allow-list accepts. A
   * gateway that sends the field (even null) also reads `rateLimit` in the answer; an older one
   * leaves it out and never gets a field its strict schema would refuse.
   */
  clientAddress: z.string().min(1).max(100).nullable().optional(),
});
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

export const AclDecisionSchema = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('allow'),
    status: z.literal(200),
    reason: z.string(),
    routeId: z.string(),
    upstream: z.string(),
    /** The upstream's base URL (UPSTREAM_<NAME>_URL of the acl), or null when it has none. */
    upstreamUrl: z.string().nullable(),
    upstreamPath: z.string(),
    resources: z.array(z.string()),
    /**
     * The calling integration's rate limit (its own, else the platform default); null: none. Only to
     * a caller that sent `clientAddress`.
     */
    rateLimit: RateLimit.nullable().optional(),
  }),
  z.strictObject({
    decision: z.literal('deny'),
    status: z.union([z.literal(401), z.literal(403), z.literal(404)]),
    reason: z.string(),
    routeId: z.string().nullable(),
    upstream: z.null(),
    upstreamUrl: z.null(),
    upstreamPath: z.null(),
    resources: z.array(z.string()),
    missing: z.array(z.string()).optional(),
    body: MagentoErrorBodySchema,
  }),
]);
export type AclDecision = z.infer<typeof AclDecisionSchema>;

/** `POST /decisions/batch` (acl): decisions in the same order as the requests. */
export const DecideBatchRequestSchema = z.strictObject({ requests: z.array(DecisionRequestSchema).min(1).max(1_000) });
export type DecideBatchRequest = z.infer<typeof DecideBatchRequestSchema>;
export const DecideBatchReplySchema = z.strictObject({ decisions: z.array(AclDecisionSchema) });
export type DecideBatchReply = z.infer<typeof DecideBatchReplySchema>;
