import { z } from 'zod';

/**
 * What `POST /admin/v1/integrations/{id}/activate` and `/reauthorize` answer (the admin API's own
 * shapes, built by ActivateIntegration from the oauth service's IssueCredentialsReply).
 */

/** 200, no token exchange: the four credentials, the only time they are ever shown. */
export const ActivationTokensReplySchema = z.object({
  mode: z.literal('tokens'),
  credentials: z.object({
    consumerKey: z.string(),
    consumerSecret: z.string(),
    accessToken: z.string(),
    accessTokenSecret: z.string(),
  }),
});
export type ActivationTokensReply = z.infer<typeof ActivationTokensReplySchema>;

/** 202, token exchange started: the credentials went to the callback URL; the admin opens the identity link. */
export const ActivationExchangeReplySchema = z.object({
  mode: z.literal('exchange'),
  consumerKey: z.string(),
  identityLinkUrl: z.string().meta({
    format: 'uri',
    description: 'The identity link URL with oauth_consumer_key and success_call_back merged into its query.',
  }),
});
export type ActivationExchangeReply = z.infer<typeof ActivationExchangeReplySchema>;
