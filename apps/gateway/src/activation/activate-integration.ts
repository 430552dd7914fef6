import {
  IntegrationJsonSchema,
  IssueCredentialsReplySchema,
  type IssueCredentialsReply,
  type IssueCredentialsRequest,
  type PlatformErrorBody,
  type StartActivationRequest,
} from '@integrations/contracts';
import { conflict, DomainError, type Logger } from '@integrations/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuthService, type AdminPrincipal } from '../admin-auth/admin-auth.service';
import { GATEWAY_LOGGER } from '../gateway.tokens';
import { readYourWrites } from '../integrations/read-your-writes';
import { RegistryClient } from '../integrations/registry.client';
import { InternalServiceClient, type InternalReply } from '../settings/internal-service.client';
import type { ActivationExchangeReply, ActivationTokensReply } from './activation.reply';
import { identityLinkFor, SUCCESS_CALLBACK_PATH } from './identity-link';
import { PublicBaseUrl } from './public-base-url';

/** The oauth service's admin side (credentials issuance); its own class so that Nest injects it by type. */
export class OauthAdminClient extends InternalServiceClient {}

export type ActivationIntent = 'activate' | 'reauthorize';
type Mode = 'tokens' | 'exchange';

export type ActivationReply =
  | { status: 200; body: ActivationTokensReply }
  | { status: 202; body: ActivationExchangeReply }
  /** An error of the registry or the oauth service, passed through as is (404, 409, 502 callback failed…). */
  | { status: number; body: PlatformErrorBody; passedThrough: true };

/** Per call: credentials issuance may wait for the partner's callback (`oauth/consumer/post_timeout`, at most 60 s). */
const CREDENTIALS_TIMEOUT_MS = 65_000;

/**
 * Activate / Reauthorize (Magento's TokensDialog and TokensExchange), once the admin's password
 * checked out: read the integration, apply the grid's rules, have the oauth service issue the
 * credentials (or POST them to the callback URL), then record the activation in the registry.
 * Credentials come first so that a refused or failed issuance changes nothing; the registry then
 * refuses an activation whose URLs changed meanwhile (INTEGRATION.ACTIVATION_MODE_CHANGED).
 */
@Injectable()
export class ActivateIntegration {
  constructor(
    private readonly registry: RegistryClient,
    private readonly oauth: OauthAdminClient,
    private readonly auth: AdminAuthService,
    private readonly publicBaseUrl: PublicBaseUrl,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
  ) {}

  async execute(
    admin: AdminPrincipal,
    id: string,
    intent: ActivationIntent,
    correlationId: string,
  ): Promise<ActivationReply> {
    const actor = admin.username;
    // As of this admin's own last write (a Reset just made, for instance).
    const read = await this.registry.call({
      method: 'GET',
      path: `/integrations/${id}`,
      query: readYourWrites.forIntegration(admin, id),
      actor,
      correlationId,
      reply: IntegrationJsonSchema,
    });
    if (!read.ok) return { status: read.status, body: read.body, passedThrough: true };
    const integration = read.body;

    // Magento's grid: "Activate" unless active, "Reauthorize" when active; a Reset row runs the reauthorize flow.
    if (intent === 'activate' && integration.status === 'active') {
      throw conflict(
        'INTEGRATION.ALREADY_ACTIVE',
        `Integration "${integration.name}" is already active. Use Reauthorize to issue new tokens.`,
      );
    }
    if (intent === 'reauthorize' && integration.status === 'inactive') {
      throw conflict(
        'INTEGRATION.NOT_ACTIVE',
        `Integration "${integration.name}" is not active, so there is nothing to reauthorize. Use Activate.`,
      );
    }
    const reauthorize = intent === 'reauthorize' || integration.status === 'reset';
    // Magento: token exchange only when both URLs are set.
    const mode: Mode = integration.callbackUrl && integration.identityLinkUrl ? 'exchange' : 'tokens';
    const base = this.publicBaseUrl.get();

    // The integration as read here: a `reset` one gets a new consumer even if the removal of the old
    // one is still on its way to oauth (ADR 0006 §2).
    const seen = { status: integration.status, version: integration.version };
    const request: IssueCredentialsRequest =
      mode === 'tokens'
        ? { mode, reauthorize, integration: seen }
        : { mode, reauthorize, integration: seen, callbackUrl: integration.callbackUrl!, storeBaseUrl: `${base}/` };
    const issued = await this.issueCredentials(id, request, actor, correlationId);
    if (!issued.ok) return { status: issued.status, body: issued.body, passedThrough: true };
    if (issued.body.mode !== mode) throw unexpectedCredentials();

    const activation: StartActivationRequest = { reauthorize: intent === 'reauthorize', mode };
    const recorded = await this.registry.call({
      method: 'POST',
      path: `/integrations/${id}/activation`,
      body: activation,
      actor,
      correlationId,
      reply: IntegrationJsonSchema,
    });
    if (!recorded.ok) {
      // The credentials exist but the integration is not marked active: they are refused until the
      // admin activates again, which issues new ones.
      this.logger.warn(
        { integrationId: id, mode, status: recorded.status },
        'credentials issued but the registry refused the activation',
      );
      return { status: recorded.status, body: recorded.body, passedThrough: true };
    }
    await this.auth.recordWrite(admin, id, recorded.body.version);

    const reply = issued.body;
    if (reply.mode === 'tokens') {
      const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = reply;
      return {
        status: 200,
        body: { mode: reply.mode, credentials: { consumerKey, consumerSecret, accessToken, accessTokenSecret } },
      };
    }
    return {
      status: 202,
      body: {
        mode: reply.mode,
        consumerKey: reply.consumerKey,
        identityLinkUrl: identityLinkFor(
          integration.identityLinkUrl!,
          reply.consumerKey,
          `${base}${SUCCESS_CALLBACK_PATH}`,
        ),
      },
    };
  }

  private issueCredentials(
    id: string,
    request: IssueCredentialsRequest,
    actor: string,
    correlationId: string,
  ): Promise<InternalReply<IssueCredentialsReply>> {
    return this.oauth.call({
      method: 'POST',
      path: `/integrations/${id}/credentials`,
      body: request,
      actor,
      correlationId,
      timeoutMs: CREDENTIALS_TIMEOUT_MS,
      reply: IssueCredentialsReplySchema,
    });
  }
}

const unexpectedCredentials = () =>
  new DomainError(
    'UPSTREAM.BAD_RESPONSE',
    'The oauth service answered without the expected credentials. Try again; if it persists, contact the platform team.',
    502,
  );
