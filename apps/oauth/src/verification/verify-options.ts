import type { Consumer } from '../consumer/consumer.store';
import type { OauthSettings } from '../oauth-settings';

/** The verification options every OAuth call takes from the settings. */
export function signatureOptions(settings: OauthSettings, now: Date) {
  return {
    allowHmacSha1: settings.get('oauth/signature/allow_hmac_sha1'),
    timestampWindowSeconds: settings.get('oauth/signature/timestamp_window'),
    now,
  };
}

/**
 * Magento's `isValidForTokenExchange`: the consumer may start the handshake for
 * `oauth/consumer/expiration_period` seconds after the exchange started ("Consumer key has expired").
 * Never started (a tokens-mode consumer) counts as expired, as Magento's `updated_at = 0` does.
 */
export function consumerExpiry(settings: OauthSettings) {
  return (consumer: Consumer, nowSeconds: number): boolean => {
    if (!consumer.exchangeStartedAt) return true;
    const startedSeconds = Math.floor(consumer.exchangeStartedAt.getTime() / 1000);
    return nowSeconds - startedSeconds >= settings.get('oauth/consumer/expiration_period');
  };
}
