import type { SignedCall } from '@integrations/contracts';
import { formEncode, problems, verifyRequest } from '@integrations/oauth1';
import { Injectable } from '@nestjs/common';
import { ConsumerStore, type Consumer } from '../../consumer/consumer.store';
import { CredentialUseRecorder } from '../../credentials/credential-use/credential-use.recorder';
import { MongoNonceStore } from '../../nonce/nonce.store';
import { OauthSettings } from '../../oauth-settings';
import { TokenStore, type Token } from '../../token/token.store';
import { toOAuthHttpRequest } from '../../verification/signed-request';
import { isRejection, problemReply, type TokenReply } from '../../verification/token-reply';
import { consumerExpiry, signatureOptions } from '../../verification/verify-options';

/**
 * `POST /oauth/token/request` (Magento's Token/Request controller): checks in Magento's order
 * (libs/oauth1 verifyRequest), including the consumer's exchange window, then turns the verifier row
 * into a request token. Reads bypass the caches: the handshake must see the rows it just wrote.
 */
@Injectable()
export class RequestTokenHandler {
  constructor(
    private readonly consumers: ConsumerStore,
    private readonly tokens: TokenStore,
    private readonly nonces: MongoNonceStore,
    private readonly settings: OauthSettings,
    private readonly credentialUses: CredentialUseRecorder,
  ) {}

  async execute(signed: SignedCall): Promise<TokenReply> {
    const { consumers, tokens, nonces, settings } = this;
    const request = toOAuthHttpRequest(signed);
    if (isRejection(request)) return problemReply(request);
    const now = new Date();
    const result = await verifyRequest<Consumer, Token>(
      request,
      {
        findConsumer: (key) => consumers.findByKey(key),
        findToken: (token) => tokens.find(token),
        findConsumerToken: (consumer) => handshakeRow(tokens, consumer),
        nonceStore: nonces,
      },
      { mode: 'request-token', ...signatureOptions(settings, now), isConsumerExpired: consumerExpiry(settings) },
    );
    if (!result.ok) return problemReply(result);
    this.credentialUses.record({ consumerId: result.consumer.id }, now.getTime());
    const verifier = result.token!;
    // Exactly one of two concurrent requests gets the verifier; the other is told what Magento says.
    if (!(await tokens.consume(verifier.id, 'verifier'))) return problemReply(problems.consumerTokenNotVerifier());
    const requestToken = await tokens.createRequest(result.consumer, verifier, now);
    return {
      status: 200,
      body: formEncode([
        ['oauth_token', requestToken.token],
        ['oauth_token_secret', requestToken.secret],
      ]),
    };
  }
}

/**
 * The row Magento would find for the consumer (it keeps one): the pending handshake if there is one,
 * else the current access token (which then yields "consumer token is not a verifier token").
 */
async function handshakeRow(tokens: TokenStore, consumer: Consumer): Promise<Token | null> {
  const rows = await tokens.findForConsumer(consumer.id);
  return (
    rows.find((row) => row.type === 'verifier') ??
    rows.find((row) => row.type === 'request') ??
    rows.find((row) => row.type === 'access' && row.expiresAt === null) ??
    null
  );
}
