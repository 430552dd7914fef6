import { CredentialDetailsReplySchema, type CredentialDetailsReply } from '@integrations/contracts';
import { Injectable } from '@nestjs/common';
import { ConsumerStore } from '../../consumer/consumer.store';
import { TokenStore } from '../../token/token.store';
import { credentialSubjects, CredentialUseRecorder } from '../credential-use/credential-use.recorder';

/**
 * Integration Details (Magento's fieldset on the Edit page) without the secrets Magento shows there:
 * the consumer key, the access token's last 4 characters, when each was issued and last used. Read
 * from the stores, not the verification caches (an admin's page is not the hot path), and without
 * opening any sealed value.
 */
@Injectable()
export class CredentialDetailsHandler {
  constructor(
    private readonly consumers: ConsumerStore,
    private readonly tokens: TokenStore,
    private readonly uses: CredentialUseRecorder,
  ) {}

  async execute(integrationId: string, now: Date): Promise<CredentialDetailsReply> {
    const consumer = await this.consumers.describeForIntegration(integrationId);
    if (!consumer) return { integrationId, consumer: null, accessToken: null };
    const access = (await this.tokens.findForConsumer(consumer.consumerId))
      .filter((row) => row.type === 'access' && (row.expiresAt === null || row.expiresAt.getTime() > now.getTime()))
      // The newest: during a reauthorize grace period the old one still works too, on its way out.
      .at(-1);
    const subjects = {
      consumer: credentialSubjects.consumer(consumer.consumerId),
      token: access ? credentialSubjects.token(access.id) : undefined,
    };
    const used = await this.uses.lastUses(Object.values(subjects).filter((s): s is string => s !== undefined));
    const lastUse = (subject: string | undefined) => (subject && used.get(subject)?.toISOString()) || null;
    // Checked here as well as by the gateway: whatever changes in the stores, no secret leaves by this reply.
    return CredentialDetailsReplySchema.parse({
      integrationId,
      consumer: {
        consumerKey: consumer.key,
        issuedAt: consumer.createdAt.toISOString(),
        lastUsedAt: lastUse(subjects.consumer),
        secretIssuedAt: consumer.secretIssuedAt.toISOString(),
        // Shown only while it still signs (verification judges the instant on every call).
        previousSecretExpiresAt:
          consumer.previousSecretExpiresAt && consumer.previousSecretExpiresAt.getTime() > now.getTime()
            ? consumer.previousSecretExpiresAt.toISOString()
            : null,
      },
      accessToken: access
        ? { last4: access.fingerprint, issuedAt: access.createdAt.toISOString(), lastUsedAt: lastUse(subjects.token) }
        : null,
    });
  }
}
