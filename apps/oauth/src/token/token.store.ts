import { randomToken, type OAuthTokenRecord, type TokenType } from '@integrations/oauth1';
import type mongoose from 'mongoose';
import type { Consumer } from '../consumer/consumer.store';
import type { SecretBox } from '../crypto/secret-box';

export const TOKENS_COLLECTION = 'tokens';

/**
 * Magento's `oauth_token` rows of integrations. `_id` is the token value (an `_id` lookup per signed
 * call). Magento rewrites one row per consumer in place (verifier -> request -> access); here each
 * step inserts the next row under its new token and removes the previous one, and an access token
 * replaced by a reauthorize stays as a revoked row (so a late call is told "revoked", not "unknown")
 * until the cleanup purges it. Secrets and verifiers are sealed; a revoked row has no secret left.
 */
export interface TokenDocument {
  _id: string;
  consumerId: string;
  integrationId: string;
  type: TokenType;
  /** Sealed; absent once revoked. */
  secret?: string;
  /** Sealed; verifier and request rows. */
  verifier?: string;
  /** Verifier and request rows: this handshake is a reauthorize. */
  reauthorize: boolean;
  createdAt: Date;
  revoked: boolean;
  revokedAt: Date | null;
  /** Access tokens in a reauthorize grace period: valid until then. */
  expiresAt: Date | null;
}

/** A token row with its secret and verifier opened. */
export interface Token extends OAuthTokenRecord {
  token: string;
  integrationId: string;
  reauthorize: boolean;
  createdAt: Date;
  expiresAt: Date | null;
}

export class TokenStore {
  constructor(
    private readonly collection: mongoose.mongo.Collection<TokenDocument>,
    private readonly box: SecretBox,
  ) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ consumerId: 1 }, { name: 'consumer' });
    await this.collection.createIndex({ createdAt: 1 }, { name: 'created_at' });
  }

  async find(token: string): Promise<Token | null> {
    const document = await this.collection.findOne({ _id: token });
    return document ? this.open(document) : null;
  }

  /** The consumer's live rows (not revoked), oldest first. */
  async findForConsumer(consumerId: string): Promise<Token[]> {
    const documents = await this.collection.find({ consumerId, revoked: false }).sort({ createdAt: 1 }).toArray();
    return documents.map((document) => this.open(document));
  }

  /** A fresh verifier row: the start of a token exchange. */
  async createVerifier(consumer: Consumer, reauthorize: boolean, now: Date): Promise<Token> {
    return this.insert(consumer, 'verifier', { verifier: randomToken(), reauthorize }, now);
  }

  /** Verifier -> request: the request token carries the verifier on to the access step. */
  async createRequest(consumer: Consumer, from: Token, now: Date): Promise<Token> {
    return this.insert(consumer, 'request', { verifier: from.verifier ?? undefined, reauthorize: from.reauthorize }, now);
  }

  async createAccess(consumer: Consumer, now: Date): Promise<Token> {
    return this.insert(consumer, 'access', { reauthorize: false }, now);
  }

  /**
   * Removes a verifier or request row if it is still of `type`. Two concurrent exchanges with the
   * same row: exactly one sees true.
   */
  async consume(token: string, type: 'verifier' | 'request'): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: token, type })).deletedCount === 1;
  }

  async remove(token: string): Promise<void> {
    await this.collection.deleteOne({ _id: token });
  }

  /** Unfinished handshakes of the consumer (a new exchange replaces them; Magento #2540). */
  async deletePendingHandshakes(consumerId: string): Promise<number> {
    return (await this.collection.deleteMany({ consumerId, type: { $in: ['verifier', 'request'] } })).deletedCount;
  }

  /**
   * Revokes the consumer's access tokens: at once (`until` null) or at the end of a grace period.
   * Spared: `keep`, tokens created at or after `createdBefore` (an exchange the partner completed
   * while we were still posting to its callback), and tokens already in a grace period (they end on
   * their own). Returns the revoked tokens.
   */
  async revokeAccessTokens(
    consumerId: string,
    options: { keep?: string; createdBefore?: Date; until: Date | null; now: Date },
  ): Promise<string[]> {
    const live = await this.collection
      .find({ consumerId, type: 'access', revoked: false }, { projection: { _id: 1, expiresAt: 1, createdAt: 1 } })
      .toArray();
    const ids = live
      .filter((row) => row._id !== options.keep && (row.expiresAt ?? null) === null)
      .filter((row) => !options.createdBefore || row.createdAt < options.createdBefore)
      .map((row) => row._id);
    if (ids.length === 0) return [];
    if (options.until === null) {
      await this.collection.updateMany(
        { _id: { $in: ids } },
        { $set: { revoked: true, revokedAt: options.now }, $unset: { secret: '' } },
      );
    } else {
      await this.collection.updateMany({ _id: { $in: ids } }, { $set: { expiresAt: options.until } });
    }
    return ids;
  }

  async deleteForConsumer(consumerId: string): Promise<number> {
    return (await this.collection.deleteMany({ consumerId })).deletedCount;
  }

  /**
   * Housekeeping: tokens whose grace period ended become revoked (their secret goes); request
   * tokens older than `olderThan` (Magento's `oauth/cleanup/expiration_period`) and revoked rows
   * revoked before it are deleted.
   */
  async purge(now: Date, olderThan: Date): Promise<{ expired: number; deleted: number }> {
    const expired = await this.collection.updateMany(
      { type: 'access', revoked: false, expiresAt: { $lte: now } },
      { $set: { revoked: true, revokedAt: now }, $unset: { secret: '' } },
    );
    const staleRequests = await this.collection.deleteMany({ type: 'request', createdAt: { $lt: olderThan } });
    const oldRevoked = await this.collection.deleteMany({ revoked: true, revokedAt: { $lt: olderThan } });
    return { expired: expired.modifiedCount, deleted: staleRequests.deletedCount + oldRevoked.deletedCount };
  }

  private async insert(
    consumer: Consumer,
    type: TokenType,
    extra: { verifier?: string; reauthorize: boolean },
    now: Date,
  ): Promise<Token> {
    const token = randomToken();
    const secret = randomToken();
    const document: TokenDocument = {
      _id: token,
      consumerId: consumer.id,
      integrationId: consumer.integrationId,
      type,
      secret: this.box.seal(secret, context(token, 'secret')),
      ...(extra.verifier ? { verifier: this.box.seal(extra.verifier, context(token, 'verifier')) } : {}),
      reauthorize: extra.reauthorize,
      createdAt: now,
      revoked: false,
      revokedAt: null,
      expiresAt: null,
    };
    await this.collection.insertOne(document);
    return {
      token,
      consumerId: consumer.id,
      integrationId: consumer.integrationId,
      type,
      secret,
      verifier: extra.verifier ?? null,
      revoked: false,
      reauthorize: extra.reauthorize,
      createdAt: now,
      expiresAt: null,
    };
  }

  private open(document: TokenDocument): Token {
    return {
      token: document._id,
      consumerId: document.consumerId,
      integrationId: document.integrationId,
      type: document.type,
      secret: document.secret ? this.box.open(document.secret, context(document._id, 'secret')) : '',
      verifier: document.verifier ? this.box.open(document.verifier, context(document._id, 'verifier')) : null,
      revoked: document.revoked,
      reauthorize: document.reauthorize ?? false,
      createdAt: document.createdAt,
      expiresAt: document.expiresAt ?? null,
    };
  }
}

const context = (token: string, field: 'secret' | 'verifier') => `token:${token}:${field}`;

/** Revoked, or past the end of its reauthorize grace period. */
export function isTokenRevoked(token: Pick<Token, 'revoked' | 'expiresAt'>, now: number): boolean {
  return token.revoked || (token.expiresAt !== null && token.expiresAt.getTime() <= now);
}
