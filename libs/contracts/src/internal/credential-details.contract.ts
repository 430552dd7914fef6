import { z } from 'zod';

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
