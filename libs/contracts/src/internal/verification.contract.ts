import { z } from 'zod';

/**
 * What the gateway forwards of a signed call, untouched, for the oauth service to verify: the
 * method, the URL the client signed (scheme://host + the raw path and query as received), the
 * Authorization and Content-Type headers, and the raw body when it is form-urlencoded (only that
 * kind is signed).
 */
export const SignedCallSchema = z.strictObject({
  method: z.string().regex(/^[A-Za-z]{1,16}$/, 'must be an HTTP method'),
  url: z.string().min(1).max(16_384),
  authorization: z.string().max(16_384).nullish(),
  contentType: z.string().max(1_024).nullish(),
  body: z.string().max(1_048_576).nullish(),
});
export type SignedCall = z.infer<typeof SignedCallSchema>;

/**
 * Sent (any value) by a gateway that reads `integrationId` on refused verdicts (usage by
 * integration): an oauth service includes it only when asked, so a gateway that predates the field
 * (its verdict schema is strict) never gets one during a rolling deploy.
 */
export const REFUSAL_ATTRIBUTION_HEADER = 'x-refusal-attribution';

/** The oauth service's answer for one call: whose valid credentials signed it, or why not. */
export const ApiCallVerdictSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    integrationId: z.string().min(1),
    consumerKey: z.string().min(1),
    scheme: z.enum(['oauth', 'bearer']),
  }),
  z.strictObject({
    ok: z.literal(false),
    status: z.union([z.literal(400), z.literal(401)]),
    code: z.string().min(1),
    problem: z.string(),
    /**
     * The integration whose consumer (or access token) the refused call named, when oauth knows it
     * (a bad signature, a used nonce, a revoked token): its usage counts the refusal. Absent for an
     * unknown key or token, and unless the caller sent REFUSAL_ATTRIBUTION_HEADER.
     */
    integrationId: z.string().min(1).optional(),
  }),
]);
export type ApiCallVerdict = z.infer<typeof ApiCallVerdictSchema>;

/** `POST /oauth/verify/api-calls` (oauth): a batch of calls, verdicts in the same order. */
export const VerifyBatchRequestSchema = z.strictObject({ calls: z.array(SignedCallSchema).min(1).max(1_000) });
export type VerifyBatchRequest = z.infer<typeof VerifyBatchRequestSchema>;
export const VerifyBatchReplySchema = z.strictObject({ verdicts: z.array(ApiCallVerdictSchema) });
export type VerifyBatchReply = z.infer<typeof VerifyBatchReplySchema>;
