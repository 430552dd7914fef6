import { randomBytes } from 'node:crypto';
import type { KeyPair } from './store-client';
import type { StoreNotification } from './store-notifications';

/** What the store POSTed to our callback for one consumer, and where the link stands. */
export interface StoreLink {
  consumerKey: string;
  consumerSecret: string;
  storeBaseUrl: string;
  verifier: string;
  receivedAt: Date;
  /** Set once the identity-link page completed the exchange. */
  accessToken?: KeyPair;
  linkedAt?: Date;
  /** Verified notifications of access changes, oldest first. */
  notifications: ReceivedNotification[];
  /** Set when the store said the integration was deleted: nothing works any more. */
  deletedAt?: Date;
}

export interface ReceivedNotification {
  id: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
}

/** `GET /status`: the links without a single secret. */
export interface LinkStatus {
  consumerKey: string;
  storeBaseUrl: string;
  receivedAt: string;
  hasAccessToken: boolean;
  linkedAt: string | null;
  notifications: ReceivedNotification[];
  deleted: boolean;
}

const FORM_TOKEN_TTL_MS = 15 * 60_000;

/**
 * The partner's memory (a real partner keeps this in its database, secrets encrypted). Keyed by
 * consumer key: one store may activate several integrations pointing at us.
 */
export class PartnerState {
  private readonly links = new Map<string, StoreLink>();
  /** One-time tokens of rendered login forms (CSRF): token -> consumer key. */
  private readonly formTokens = new Map<string, { consumerKey: string; expiresAt: number }>();

  /** A new credentials POST (activation or reauthorization): the previous access token is gone. */
  receive(
    credentials: Pick<StoreLink, 'consumerKey' | 'consumerSecret' | 'storeBaseUrl' | 'verifier'>,
    now = new Date(),
  ): void {
    this.links.set(credentials.consumerKey, { ...credentials, receivedAt: now, notifications: [] });
  }

  /**
   * A verified notification. A deletion ends the link (the token no longer works; the secret stays,
   * to verify a repeat of the notification). A reauthorization needs nothing here: with the token
   * exchange, the new token came through the identity link before this notification.
   */
  notified(notification: StoreNotification, now = new Date()): void {
    const link = this.links.get(notification.integration.consumerKey);
    if (!link) return;
    link.notifications.push({
      id: notification.id,
      type: notification.type,
      occurredAt: notification.occurredAt,
      receivedAt: now.toISOString(),
    });
    if (notification.type === 'integration.deleted') {
      link.deletedAt = now;
      delete link.accessToken;
    }
  }

  link(consumerKey: string): StoreLink | undefined {
    return this.links.get(consumerKey);
  }

  /** The link that was completed last (the default for signed calls). */
  latestLinked(): StoreLink | undefined {
    return [...this.links.values()]
      .filter((l) => l.accessToken)
      .sort((a, b) => b.linkedAt!.getTime() - a.linkedAt!.getTime())[0];
  }

  linked(consumerKey: string, accessToken: KeyPair, now = new Date()): void {
    const link = this.links.get(consumerKey);
    if (link) Object.assign(link, { accessToken, linkedAt: now });
  }

  status(): LinkStatus[] {
    return [...this.links.values()].map((l) => ({
      consumerKey: l.consumerKey,
      storeBaseUrl: l.storeBaseUrl,
      receivedAt: l.receivedAt.toISOString(),
      hasAccessToken: Boolean(l.accessToken),
      linkedAt: l.linkedAt?.toISOString() ?? null,
      notifications: [...l.notifications],
      deleted: l.deletedAt !== undefined,
    }));
  }

  issueFormToken(consumerKey: string, now = Date.now()): string {
    for (const [token, entry] of this.formTokens) if (entry.expiresAt < now) this.formTokens.delete(token);
    const token = randomBytes(16).toString('hex');
    this.formTokens.set(token, { consumerKey, expiresAt: now + FORM_TOKEN_TTL_MS });
    return token;
  }

  /** True once for a token issued for this consumer key and not expired. */
  redeemFormToken(token: string, consumerKey: string, now = Date.now()): boolean {
    const entry = this.formTokens.get(token);
    this.formTokens.delete(token);
    return Boolean(entry && entry.consumerKey === consumerKey && entry.expiresAt >= now);
  }
}
