import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { IntegrationId } from '../integration/integration-fields';
import { Topics } from '../topics';
import { ConsumerId, CredentialFingerprint } from './oauth-fields';

/**
 * The third party completed `/oauth/token/access`: the token exchange is over. The registry answers
 * with CompleteActivation (IntegrationActivated or IntegrationReauthorized).
 */
export const AccessTokenGranted = defineEvent({
  type: 'AccessTokenGranted',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    consumerId: ConsumerId,
    accessTokenFingerprint: CredentialFingerprint,
  }),
});
export type AccessTokenGrantedData = DataOf<typeof AccessTokenGranted>;
