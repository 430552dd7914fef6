import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { IntegrationId } from '../integration/integration-fields';
import { Topics } from '../topics';
import { ConsumerId, CredentialFingerprint } from './oauth-fields';

/** The integration got its OAuth consumer (key + secret), on its first activation. */
export const ConsumerCreated = defineEvent({
  type: 'ConsumerCreated',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    consumerId: ConsumerId,
    consumerKeyFingerprint: CredentialFingerprint,
  }),
});
export type ConsumerCreatedData = DataOf<typeof ConsumerCreated>;
