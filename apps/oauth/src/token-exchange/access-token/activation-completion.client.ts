import {
  CompleteActivationReplySchema,
  InternalHeaders,
  type CompleteActivationReply,
  type CompleteActivationRequest,
} from '@integrations/contracts';
import type { Logger } from '@integrations/service-kit';

export interface ActivationCompletionOptions {
  /** The registry's base URL (REGISTRY_URL). */
  registryUrl: string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * Asks the registry to complete an exchange-mode activation before the partner gets its access
 * token (docs/adr/0006 §2): `POST {REGISTRY_URL}/integrations/{id}/activation/completion {grantId}`,
 * the grant being the AccessTokenGranted event just recorded. The registry completes idempotently by
 * `grantId`, so the same event arriving later through Kafka (the fallback path) changes nothing.
 *
 * Never throws: when the registry cannot be asked, or refuses, the partner still gets its token
 * (it is valid; the exchange is done on our side) and the Kafka path completes the activation.
 */
export class ActivationCompletionClient {
  private readonly baseUrl: string;

  constructor(private readonly options: ActivationCompletionOptions) {
    this.baseUrl = options.registryUrl.replace(/\/+$/, '');
  }

  async complete(
    integrationId: string,
    grantId: string,
    context: { correlationId: string },
  ): Promise<CompleteActivationReply | undefined> {
    const url = `${this.baseUrl}/integrations/${encodeURIComponent(integrationId)}/activation/completion`;
    const body: CompleteActivationRequest = { grantId };
    const warn = (reason: string) =>
      this.options.logger.warn(
        { integrationId, grantId, reason },
        'Activation not completed by the registry before the access token reply; the Kafka path (AccessTokenGranted) completes it',
      );
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [InternalHeaders.correlationId]: context.correlationId,
          [InternalHeaders.actor]: integrationId,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) {
        warn(`the registry answered HTTP ${response.status}`);
        return undefined;
      }
      const reply = CompleteActivationReplySchema.safeParse(parseJson(text));
      if (!reply.success) {
        warn('the registry answered a body that is not a CompleteActivationReply');
        return undefined;
      }
      if (reply.data.outcome === 'not-pending' || reply.data.outcome === 'gone') warn(`outcome ${reply.data.outcome}`);
      return reply.data;
    } catch (error) {
      warn(
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs} ms`
          : `the registry could not be reached (${error instanceof Error ? error.message : String(error)})`,
      );
      return undefined;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
