import { z } from 'zod';

const httpUrl = (field: string) =>
  z
    .string()
    .min(1)
    .max(2_048)
    .regex(/^https?:\/\//i, `${field} must be an http:// or https:// URL`);

/**
 * The integration as the gateway read it from the registry just before asking for credentials. A
 * `reset` integration gets a new consumer (key and secret), as Magento's recreate does, even when the
 * removal of the old one is still on its way through Kafka; `version` marks the new consumer so that
 * the late IntegrationReset does not remove it (docs/adr/0006 §2).
 */
export const IntegrationSeenSchema = z.strictObject({
  status: z.enum(['inactive', 'active', 'reset']),
  version: z.number().int().positive(),
});

/**
 * `POST /integrations/{id}/credentials` (oauth), sent by the gateway once the admin's password
 * checked out. The gateway picks the mode as Magento does: `exchange` iff the integration has both a
 * callback URL and an identity link URL. `storeBaseUrl` is what the partner receives as
 * `store_base_url` (the public base URL of the platform, e.g. `https://shop.example.com/`).
 */
export const IssueCredentialsRequestSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('tokens'),
    reauthorize: z.boolean().default(false),
    integration: IntegrationSeenSchema.optional(),
  }),
  z.strictObject({
    mode: z.literal('exchange'),
    reauthorize: z.boolean().default(false),
    integration: IntegrationSeenSchema.optional(),
    callbackUrl: httpUrl('callbackUrl'),
    storeBaseUrl: httpUrl('storeBaseUrl'),
  }),
]);
export type IssueCredentialsRequest = z.infer<typeof IssueCredentialsRequestSchema>;

/** tokens mode: the only place the four credentials are ever shown. */
export const IssuedTokensSchema = z.strictObject({
  mode: z.literal('tokens'),
  consumerKey: z.string().min(1),
  consumerSecret: z.string().min(1),
  accessToken: z.string().min(1),
  accessTokenSecret: z.string().min(1),
});
export type IssuedTokens = z.infer<typeof IssuedTokensSchema>;

/** exchange mode: the secrets went to the callback URL; the admin UI only needs the key. */
export const ExchangeStartedReplySchema = z.strictObject({
  mode: z.literal('exchange'),
  consumerKey: z.string().min(1),
});
export type ExchangeStartedReply = z.infer<typeof ExchangeStartedReplySchema>;

export const IssueCredentialsReplySchema = z.discriminatedUnion('mode', [
  IssuedTokensSchema,
  ExchangeStartedReplySchema,
]);
export type IssueCredentialsReply = z.infer<typeof IssueCredentialsReplySchema>;
