import { randomUUID } from 'node:crypto';
import { randomToken, type OAuthConsumerRecord } from '@integrations/oauth1';
import type mongoose from 'mongoose';
import type { SecretBox } from '../crypto/secret-box';
import { isDuplicateKeyError } from '../mongo-errors';

export const CONSUMERS_COLLECTION = 'consumers';

/**
 * Magento's `oauth_consumer` row. `_id` is the consumer key, the value every signed request carries,
 * so the hot lookup is an `_id` equality (the one form FerretDB v1 serves from an index). The secret
 * is sealed (AES-256-GCM); the key is a public identifier and stays in clear.
 */
export interface ConsumerDocument {
  _id: string;
  consumerId: string;
  integrationId: string;
  secret: string;
  /** Magento's `updated_at`: when the last token exchange started (null: never). */
  exchangeStartedAt: Date | null;
  /**
   * The integration's stream version the gateway saw when it asked for this consumer (absent: it
   * did not say). IntegrationReset(V) removes only consumers created before V (docs/adr/0006 §2).
   */
  integrationVersion?: number;
  createdAt: Date;
  /** 1 for the secret issued with the consumer, +1 per rotation (absent: 1). */
  secretGeneration?: number;
  /** When the current secret was issued (absent: `createdAt`). */
  secretIssuedAt?: Date;
  /** Sealed: the secret the last rotation replaced, while it still signs (until `previousSecretExpiresAt`). */
  previousSecret?: string;
  previousSecretExpiresAt?: Date | null;
}

/**
 * A rotation in progress: `_id` `<consumer key>:<generation>` is the lock (docs/adr/0003: only
 * unique-key inserts serve as locks on FerretDB), so two admins rotating at once get one rotation.
 */
export interface SecretRotationClaimDocument {
  _id: string;
  consumerKey: string;
  generation: number;
  claimedAt: Date;
  state: 'pending' | 'done';
}

/** A consumer with its secret opened, as verification and issuance use it. */
export interface Consumer extends OAuthConsumerRecord {
  /** consumerId (OAuthConsumerRecord names it `id`). */
  id: string;
  key: string;
  secret: string;
  integrationId: string;
  exchangeStartedAt: Date | null;
  /** See ConsumerDocument.integrationVersion; null when unknown. */
  integrationVersion: number | null;
  createdAt: Date;
  secretGeneration: number;
  secretIssuedAt: Date;
  /** Accepted too until `expiresAt` (libs/oauth1 judges the time on every call). */
  previousSecret: { secret: string; expiresAt: Date } | null;
}

/** What a rotation that died between its claim and its write leaves behind for at most this long. */
const STALE_CLAIM_MS = 5 * 60_000;

const MAX_CREATE_ATTEMPTS = 4;

export class ConsumerStore {
  constructor(
    private readonly collection: mongoose.mongo.Collection<ConsumerDocument>,
    private readonly box: SecretBox,
    private readonly rotations?: mongoose.mongo.Collection<SecretRotationClaimDocument>,
  ) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1 }, { unique: true, name: 'integration' });
    await this.collection.createIndex({ consumerId: 1 }, { unique: true, name: 'consumer' });
  }

  async findByKey(key: string): Promise<Consumer | null> {
    const document = await this.collection.findOne({ _id: key });
    return document ? this.open(document) : null;
  }

  async findByIntegration(integrationId: string): Promise<Consumer | null> {
    const document = await this.collection.findOne({ integrationId });
    return document ? this.open(document) : null;
  }

  /**
   * What Integration Details shows of the integration's consumer: read without the sealed secret,
   * which is neither needed nor opened for it.
   */
  async describeForIntegration(integrationId: string): Promise<{
    consumerId: string;
    key: string;
    createdAt: Date;
    secretIssuedAt: Date;
    previousSecretExpiresAt: Date | null;
  } | null> {
    const document = await this.collection.findOne(
      { integrationId },
      { projection: { _id: 1, consumerId: 1, createdAt: 1, secretIssuedAt: 1, previousSecretExpiresAt: 1 } },
    );
    return document
      ? {
          consumerId: document.consumerId,
          key: document._id,
          createdAt: document.createdAt,
          secretIssuedAt: document.secretIssuedAt ?? document.createdAt,
          previousSecretExpiresAt: document.previousSecretExpiresAt ?? null,
        }
      : null;
  }

  /**
   * The integration's consumer, created (key and secret from the CSPRNG) on first use, marked with
   * the integration version the caller saw (null: unknown).
   */
  async ensureForIntegration(
    integrationId: string,
    now: Date,
    integrationVersion: number | null,
  ): Promise<{ consumer: Consumer; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const existing = await this.findByIntegration(integrationId);
      if (existing) return { consumer: existing, created: false };
      const key = randomToken();
      const secret = randomToken();
      const document: ConsumerDocument = {
        _id: key,
        consumerId: randomUUID(),
        integrationId,
        secret: this.box.seal(secret, secretContext(key)),
        exchangeStartedAt: null,
        ...(integrationVersion === null ? {} : { integrationVersion }),
        createdAt: now,
      };
      try {
        await this.collection.insertOne(document);
        return {
          consumer: {
            id: document.consumerId,
            key,
            secret,
            integrationId,
            exchangeStartedAt: null,
            integrationVersion,
            createdAt: now,
            secretGeneration: 1,
            secretIssuedAt: now,
            previousSecret: null,
          },
          created: true,
        };
      } catch (error) {
        // Another request created it first (integration index), or, once in 36^32, a key collided.
        if (!isDuplicateKeyError(error) || attempt >= MAX_CREATE_ATTEMPTS) throw error;
      }
    }
  }

  /** Starts Magento's `oauth/consumer/expiration_period` window. */
  async setExchangeStartedAt(key: string, at: Date | null): Promise<void> {
    await this.collection.updateOne({ _id: key }, { $set: { exchangeStartedAt: at } });
  }

  /**
   * Takes the lock of the rotation to `generation` (the consumer's current one + 1): false when
   * another rotation holds it. A claim left by a rotation that died half-way (older than a few
   * minutes, still pending) is taken over.
   */
  async claimRotation(key: string, generation: number, now: Date): Promise<boolean> {
    const rotations = this.requireRotations();
    const _id = `${key}:${generation}`;
    await rotations.deleteOne({ _id, state: 'pending', claimedAt: { $lt: new Date(now.getTime() - STALE_CLAIM_MS) } });
    try {
      await rotations.insertOne({ _id, consumerKey: key, generation, claimedAt: now, state: 'pending' });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** A rotation that failed before its write gives its claim back, so the admin can try again. */
  async releaseRotation(key: string, generation: number): Promise<void> {
    await this.requireRotations().deleteOne({ _id: `${key}:${generation}`, state: 'pending' });
  }

  /**
   * The new secret becomes the current one (generation `generation`); the replaced one keeps
   * signing until `previousUntil` (null: it stops now, and is not kept). A previous secret still in
   * its overlap from an earlier rotation is dropped: only the one just replaced overlaps.
   */
  async rotateSecret(
    consumer: Consumer,
    generation: number,
    secret: string,
    previousUntil: Date | null,
    now: Date,
  ): Promise<void> {
    const key = consumer.key;
    const previous = previousUntil
      ? {
          previousSecret: this.box.seal(consumer.secret, previousSecretContext(key)),
          previousSecretExpiresAt: previousUntil,
        }
      : { previousSecretExpiresAt: null };
    await this.collection.updateOne(
      { _id: key },
      {
        $set: {
          secret: this.box.seal(secret, secretContext(key)),
          secretGeneration: generation,
          secretIssuedAt: now,
          ...previous,
        },
        ...(previousUntil ? {} : { $unset: { previousSecret: '' } }),
      },
    );
    await this.rotations?.updateOne({ _id: `${key}:${generation}` }, { $set: { state: 'done' } });
  }

  /** Housekeeping: previous secrets whose overlap ended leave the database (verification already refuses them). */
  async dropEndedOverlaps(now: Date): Promise<number> {
    const result = await this.collection.updateMany(
      { previousSecretExpiresAt: { $lte: now } },
      { $unset: { previousSecret: '' }, $set: { previousSecretExpiresAt: null } },
    );
    return result.modifiedCount;
  }

  /**
   * By key, never by integration: a removal that read the old consumer must not delete the new one
   * an activation created for the same integration in the meantime.
   */
  async delete(key: string): Promise<void> {
    await this.collection.deleteOne({ _id: key });
  }

  private requireRotations(): mongoose.mongo.Collection<SecretRotationClaimDocument> {
    if (!this.rotations) throw new Error('ConsumerStore: built without the rotations collection');
    return this.rotations;
  }

  private open(document: ConsumerDocument): Consumer {
    const previousUntil = document.previousSecretExpiresAt ?? null;
    return {
      id: document.consumerId,
      key: document._id,
      secret: this.box.open(document.secret, secretContext(document._id)),
      integrationId: document.integrationId,
      exchangeStartedAt: document.exchangeStartedAt ?? null,
      integrationVersion: document.integrationVersion ?? null,
      createdAt: document.createdAt,
      secretGeneration: document.secretGeneration ?? 1,
      secretIssuedAt: document.secretIssuedAt ?? document.createdAt,
      previousSecret:
        document.previousSecret && previousUntil
          ? {
              secret: this.box.open(document.previousSecret, previousSecretContext(document._id)),
              expiresAt: previousUntil,
            }
          : null,
    };
  }
}

export const SECRET_ROTATIONS_COLLECTION = 'consumer_secret_rotations';
export const secretContext = (key: string) => `consumer:${key}:secret`;
export const previousSecretContext = (key: string) => `consumer:${key}:previous-secret`;
