import { CONSUMERS_COLLECTION, previousSecretContext, secretContext } from '../consumer/consumer.store';
import { notificationSecretContext, PARTNER_NOTIFICATIONS_COLLECTION } from '../notifications/notification-queue';
import { TOKENS_COLLECTION } from '../token/token.store';

/** A document field holding a sealed value, and the context it was sealed under (see SecretBox). */
export interface SealedField {
  field: string;
  context(documentId: string): string;
}

export interface SealedCollection {
  collection: string;
  fields: readonly SealedField[];
}

/**
 * Every place the oauth service stores a sealed value. The contexts must be the stores' own
 * (ConsumerStore, TokenStore, NotificationQueue): a value re-sealed under another context would no longer open there.
 * reseal.int-spec.ts checks both: the stores open what the re-seal wrote, and no `gcm1:` value in the
 * database lives outside this list.
 */
export const SEALED_COLLECTIONS: readonly SealedCollection[] = [
  {
    collection: CONSUMERS_COLLECTION,
    fields: [
      { field: 'secret', context: secretContext },
      // Only while a rotation's overlap lasts (rotate-consumer-secret).
      { field: 'previousSecret', context: previousSecretContext },
    ],
  },
  {
    collection: TOKENS_COLLECTION,
    fields: [
      { field: 'secret', context: (id) => `token:${id}:secret` },
      { field: 'verifier', context: (id) => `token:${id}:verifier` },
    ],
  },
  // A queued partner notification's copy of the consumer secret (null once it is done).
  { collection: PARTNER_NOTIFICATIONS_COLLECTION, fields: [{ field: 'secret', context: notificationSecretContext }] },
];
