import { z } from 'zod';

const httpUrl = (field: string) =>
  z
    .string()
    .min(1)
    .max(2_048)
    .regex(/^https?:\/\//i, `${field} must be an http:// or https:// URL`);

/**
 * `POST /integrations/{id}/credentials`, sent by the gateway once the admin's password checked out.
 * The gateway picks the mode as Magento does: `exchange` iff the integration has both a callback URL
 * and an identity link URL. `storeBaseUrl` is what the partner receives as `store_base_url` (the
 * public base URL of the platform, e.g. `https://shop.example.com/`).
 */
export const issueCredentialsRequest = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('tokens'),
    reauthorize: z.boolean().default(false),
  }),
  z.strictObject({
    mode: z.literal('exchange'),
    reauthorize: z.boolean().default(false),
    callbackUrl: httpUrl('callbackUrl'),
    storeBaseUrl: httpUrl('storeBaseUrl'),
  }),
]);
export type IssueCredentialsRequest = z.infer<typeof issueCredentialsRequest>;

/** tokens mode: the only place the four credentials are ever shown. */
export interface IssuedTokens {
  mode: 'tokens';
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

/** exchange mode: the secrets went to the callback URL; the admin UI only needs the key. */
export interface ExchangeStartedReply {
  mode: 'exchange';
  consumerKey: string;
}

export type IssueCredentialsReply = IssuedTokens | ExchangeStartedReply;
