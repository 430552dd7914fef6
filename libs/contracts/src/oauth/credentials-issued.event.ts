import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { IntegrationId } from '../integration/integration-fields';
import { Topics } from '../topics';
import { ConsumerId, CredentialFingerprint, CredentialsMode } from './oauth-fields';

/**
 * Credentials left the oauth service: `tokens`, the four credentials were returned to the admin
 * (`accessTokenFingerprint` names the new access token); `exchange`, the consumer key and secret
 * were POSTed to the callback URL (the access token comes later, see AccessTokenGranted).
 */
export const CredentialsIssued = defineEvent({
  type: 'CredentialsIssued',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    consumerId: ConsumerId,
    mode: CredentialsMode,
    reauthorize: z.boolean(),
    accessTokenFingerprint: CredentialFingerprint.nullable(),
  }),
});
export type CredentialsIssuedData = DataOf<typeof CredentialsIssued>;
