import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { IntegrationId } from '../integration/integration-fields';
import { Topics } from '../topics';
import { ConsumerId, CredentialFingerprint, CredentialsMode } from './oauth-fields';

/**
 * An admin replaced the integration's consumer secret ("Rotate consumer secret"); the consumer key
 * stays. `mode: tokens`: the new secret was shown to the admin once; `exchange`: it was POSTed to
 * the callback URL. The previous secret keeps signing until `previousSecretExpiresAt` (null: it
 * stopped at once). No secret travels here, nor any part of one: the key's fingerprint and the
 * secret's generation (1 for the secret issued with the consumer) tell rotations apart.
 * `integrationVersion` is the integration's version the admin saw, under which the registry files
 * the rotation in the integration's history.
 */
export const ConsumerSecretRotated = defineEvent({
  type: 'ConsumerSecretRotated',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    consumerId: ConsumerId,
    consumerKeyFingerprint: CredentialFingerprint,
    generation: z.number().int().min(2),
    mode: CredentialsMode,
    previousSecretExpiresAt: z.iso.datetime({ offset: true }).nullable(),
    integrationVersion: z.number().int().positive().nullable(),
  }),
});
export type ConsumerSecretRotatedData = DataOf<typeof ConsumerSecretRotated>;
