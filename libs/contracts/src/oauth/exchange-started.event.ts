import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { IntegrationId } from '../integration/integration-fields';
import { Topics } from '../topics';
import { ConsumerId } from './oauth-fields';

/**
 * The consumer credentials and a verifier were POSTed to the callback URL; the third party may now
 * call `/oauth/token/request` until `expiresAt` (Magento's `oauth/consumer/expiration_period`).
 */
export const ExchangeStarted = defineEvent({
  type: 'ExchangeStarted',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    consumerId: ConsumerId,
    reauthorize: z.boolean(),
    expiresAt: z.iso.datetime({ offset: true }),
  }),
});
export type ExchangeStartedData = DataOf<typeof ExchangeStarted>;
