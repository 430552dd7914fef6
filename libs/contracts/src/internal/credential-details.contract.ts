import { z } from 'zod';
import { IntegrationSeenSchema } from './credentials.contract';

/**
 * "Integration Details" (Magento's fieldset of that name on the Edit page), as the oauth service
 * answers `GET /integrations/{id}/credential-details` to the gateway, and the gateway passes it on
 * to admins (`GET /admin/v1/integrations/{id}/details`). Magento shows the four credentials there in
 * full; we keep the safer rule that secrets are shown once, when issued: this reply carries the
 * consumer key (a public identifier, sent in every signed request), the access token's last 4
 * characters, and when each credential was issued and last used — never a secret or a whole token.
 * A plain object: a reader drops fields it does not know.
 */
const instant = z.iso.datetime();

const lastUsedAt = instant.nullable().meta({
  description:
    'The last accepted call that used it, to within a few seconds (uses are written in batches); null: never used.',
});

export const CredentialDetailsReplySchema = z.object({
  integrationId: z.string(),
  consumer: z
    .object({
      consumerKey: z
        .string()
        .min(1)
        .meta({ description: 'In full: a public identifier, sent with every signed request.' }),
      issuedAt: instant.meta({ description: 'When the consumer key and secret were issued (activation).' }),
      lastUsedAt,
      secretIssuedAt: instant.meta({
        description: 'When the current consumer secret was issued: `issuedAt`, or the last "Rotate consumer secret".',
      }),
      previousSecretExpiresAt: instant.nullable().meta({
        description: 'While the secret a rotation replaced still signs: until when. null: it does not.',
      }),
    })
    .nullable()
    .meta({ description: 'null: never activated (or reset since), no credentials yet.' }),
  accessToken: z
    .object({
      last4: z
        .string()
        .regex(/^[0-9A-Za-z]{4}$/)
        .nullable()
        .meta({ description: 'Its last 4 characters; null for a token issued before they were recorded.' }),
      issuedAt: instant,
      lastUsedAt,
    })
    .nullable()
    .meta({ description: 'The live access token (with its secret); null: none (exchange not finished, revoked).' }),
});
export type CredentialDetailsReply = z.infer<typeof CredentialDetailsReplySchema>;

const httpUrl = (field: string) =>
  z
    .string()
    .min(1)
    .max(2_048)
    .regex(/^https?:\/\//i, `${field} must be an http:// or https:// URL`);

/**
 * `POST /integrations/{id}/consumer-secret/rotation` (oauth), sent by the gateway once the admin's
 * password checked out and the integration is active ("Rotate consumer secret"). The consumer key
 * stays. The mode is the activation's: `exchange` iff the integration has both a callback URL and
 * an identity link URL, and then the new secret is POSTed to the callback URL (as at activation,
 * without a verifier) instead of being shown.
 */
export const RotateConsumerSecretRequestSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('tokens'), integration: IntegrationSeenSchema }),
  z.strictObject({
    mode: z.literal('exchange'),
    integration: IntegrationSeenSchema,
    callbackUrl: httpUrl('callbackUrl'),
    storeBaseUrl: httpUrl('storeBaseUrl'),
  }),
]);
export type RotateConsumerSecretRequest = z.infer<typeof RotateConsumerSecretRequestSchema>;

const previousSecretExpiresAt = instant.nullable().meta({
  description:
    'Until when the previous secret keeps signing (`oauth/consumer/secret_rotation_overlap`); null: it stopped at once.',
});

/** The reply: in tokens mode the one time the new secret is shown; in exchange mode it went to the callback URL. */
export const RotateConsumerSecretReplySchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('tokens'),
    consumerKey: z.string().min(1),
    consumerSecret: z.string().min(1),
    previousSecretExpiresAt,
  }),
  z.object({ mode: z.literal('exchange'), consumerKey: z.string().min(1), previousSecretExpiresAt }),
]);
export type RotateConsumerSecretReply = z.infer<typeof RotateConsumerSecretReplySchema>;
