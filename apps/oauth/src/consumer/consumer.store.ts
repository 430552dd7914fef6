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
}

const MAX_CREATE_ATTEMPTS = 4;

export class ConsumerStore {
  constructor(
    private readonly collection: mongoose.mongo.Collection<ConsumerDocument>,
    private readonly box: SecretBox,
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
  async describeForIntegration(
    integrationId: string,
  ): Promise<{ consumerId: string; key: string; createdAt: Date } | null> {
    const document = await this.collection.findOne(
      { integrationId },
      { projection: { _id: 1, consumerId: 1, createdAt: 1 } },
    );
    return document ? { consumerId: document.consumerId, key: document._id, createdAt: document.createdAt } : null;
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
   * By key, never by integration: a removal that read the old consumer must not delete the new one
   * an activation created for the same integration in the meantime.
   */
  async delete(key: string): Promise<void> {
    await this.collection.deleteOne({ _id: key });
  }

  private open(document: ConsumerDocument): Consumer {
    return {
      id: document.consumerId,
      key: document._id,
      secret: this.box.open(document.secret, secretContext(document._id)),
      integrationId: document.integrationId,
      exchangeStartedAt: document.exchangeStartedAt ?? null,
      integrationVersion: document.integrationVersion ?? null,
    };
  }
}

const secretContext = (key: string) => `consumer:${key}:secret`;
