import { createHash } from 'node:crypto';
import { fingerprintOf } from '@integrations/contracts';
import { randomToken, type OAuthTokenRecord, type TokenType } from '@integrations/oauth1';
import type mongoose from 'mongoose';
import type { Consumer } from '../consumer/consumer.store';
import type { SecretBox } from '../crypto/secret-box';

export const TOKENS_COLLECTION = 'tokens';

/**
 * Magento's `oauth_token` rows of integrations. `_id` is the SHA-256 of the token value: one `_id`
 * lookup per signed call, and a database dump holds no usable token (an access token alone is a
 * credential once Bearer use is enabled). Magento rewrites one row per consumer in place (verifier -> request -> access); here each
 * step inserts the next row under its new token and removes the previous one, and an access token
 * replaced by a reauthorize stays as a revoked row (so a late call is told "revoked", not "unknown")
 * until the cleanup purges it. Secrets and verifiers are sealed; a revoked row has no secret left.
 */
export interface TokenDocument {
  /** tokenDigest(token). */
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
  /**
   * The token's last 4 characters (`fingerprintOf`, as the events carry them), for Integration
   * Details; absent on rows older than it. Not enough to guess the token (28 characters remain).
   */
  fingerprint?: string;
}

/** A token row with its secret and verifier opened. */
export interface Token extends OAuthTokenRecord {
  /** The row's `_id` (digest of the token value). */
  id: string;
  integrationId: string;
  reauthorize: boolean;
  createdAt: Date;
  expiresAt: Date | null;
  /** See TokenDocument.fingerprint; null on older rows. */
  fingerprint: string | null;
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

  /** By the token value a request carries. */
  async find(token: string): Promise<Token | null> {
    const document = await this.collection.findOne({ _id: tokenDigest(token) });
    return document ? this.open(document) : null;
  }

  /** The consumer's live rows (not revoked), oldest first. */
  async findForConsumer(consumerId: string): Promise<Token[]> {
    const documents = await this.collection.find({ consumerId, revoked: false }).sort({ createdAt: 1 }).toArray();
    return documents.map((document) => this.open(document));
  }

  /** A fresh verifier row: the start of a token exchange. */
  async createVerifier(consumer: Consumer, reauthorize: boolean, now: Date): Promise<IssuedToken> {
    return this.insert(consumer, 'verifier', { verifier: randomToken(), reauthorize }, now);
  }

  /** Verifier -> request: the request token carries the verifier on to the access step. */
  async createRequest(consumer: Consumer, from: Token, now: Date): Promise<IssuedToken> {
    return this.insert(
      consumer,
      'request',
      { verifier: from.verifier ?? undefined, reauthorize: from.reauthorize },
      now,
    );
  }

  async createAccess(consumer: Consumer, now: Date): Promise<IssuedToken> {
    return this.insert(consumer, 'access', { reauthorize: false }, now);
  }

  /**
   * Removes a verifier or request row if it is still of `type`. Two concurrent exchanges with the
   * same row: exactly one sees true.
   */
  async consume(id: string, type: 'verifier' | 'request'): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id, type })).deletedCount === 1;
  }

  async remove(id: string): Promise<void> {
    await this.collection.deleteOne({ _id: id });
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
  ): Promise<IssuedToken> {
    const token = randomToken();
    const secret = randomToken();
    const id = tokenDigest(token);
    const document: TokenDocument = {
      _id: id,
      consumerId: consumer.id,
      integrationId: consumer.integrationId,
      type,
      secret: this.box.seal(secret, context(id, 'secret')),
      ...(extra.verifier ? { verifier: this.box.seal(extra.verifier, context(id, 'verifier')) } : {}),
      reauthorize: extra.reauthorize,
      createdAt: now,
      revoked: false,
      revokedAt: null,
      expiresAt: null,
      fingerprint: fingerprintOf(token),
    };
    await this.collection.insertOne(document);
    return {
      id,
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
      fingerprint: fingerprintOf(token),
    };
  }

  private open(document: TokenDocument): Token {
    return {
      id: document._id,
      consumerId: document.consumerId,
      integrationId: document.integrationId,
      type: document.type,
      secret: document.secret ? this.box.open(document.secret, context(document._id, 'secret')) : '',
      verifier: document.verifier ? this.box.open(document.verifier, context(document._id, 'verifier')) : null,
      revoked: document.revoked,
      reauthorize: document.reauthorize ?? false,
      createdAt: document.createdAt,
      expiresAt: document.expiresAt ?? null,
      fingerprint: document.fingerprint ?? null,
    };
  }
}

/** A token this process just created: the only time its value is known. */
export interface IssuedToken extends Token {
  token: string;
}

const context = (id: string, field: 'secret' | 'verifier') => `token:${id}:${field}`;

/** The stored key of a token value. Tokens are 32 CSPRNG characters: a plain hash cannot be reversed. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Revoked, or past the end of its reauthorize grace period. */
export function isTokenRevoked(token: Pick<Token, 'revoked' | 'expiresAt'>, now: number): boolean {
  return token.revoked || (token.expiresAt !== null && token.expiresAt.getTime() <= now);
}
