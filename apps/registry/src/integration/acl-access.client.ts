import {
  CommandIdSchema,
  type IntegrationAccess,
  InternalHeaders,
  PlaceHoldRequestSchema,
  PublishSnapshotRequestSchema,
} from '@integrations/contracts';
import { Agent } from 'undici';

/** The acl did not confirm a call (unreachable, too slow, or anything but a 2xx). */
export class AccessUnavailableError extends Error {
  override readonly name = 'AccessUnavailableError';
  constructor(
    readonly operation: 'hold' | 'release' | 'snapshot',
    /** HTTP status or transport error code, for the logs. */
    readonly reason: string,
  ) {
    super(`acl ${operation} failed: ${reason}`);
  }
}

/**
 * The registry's side of docs/adr/0006 §2: tells the acl of access changes over pooled keep-alive
 * connections. Every call has one deadline (`timeoutMs`, ACCESS_SYNC_TIMEOUT_MS) covering connect,
 * headers and body; bodies are checked against the shared contracts before they leave.
 */
export class AclAccessClient {
  private readonly origin: string;
  private readonly basePath: string;
  private readonly agent: Agent;

  constructor(
    aclUrl: string,
    private readonly timeoutMs: number,
  ) {
    const url = new URL(aclUrl);
    this.origin = url.origin;
    // A base URL may carry a path prefix (behind an internal ingress).
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  }

  /** Before a narrowing command commits: from now on the acl enforces at most `access`. */
  placeHold(access: IntegrationAccess, commandId: string, correlationId: string): Promise<void> {
    return this.send(
      'hold',
      'PUT',
      this.holdPath(access.integrationId, commandId),
      PlaceHoldRequestSchema.parse({ access }),
      correlationId,
    );
  }

  /** After a command that placed a hold did not commit. */
  releaseHold(integrationId: string, commandId: string, correlationId: string): Promise<void> {
    return this.send('release', 'DELETE', this.holdPath(integrationId, commandId), undefined, correlationId);
  }

  /** After a commit: the integration's whole access at its new version; drops the command's hold. */
  publishSnapshot(access: IntegrationAccess, releaseHold: string | undefined, correlationId: string): Promise<void> {
    const body = PublishSnapshotRequestSchema.parse({ access, ...(releaseHold ? { releaseHold } : {}) });
    return this.send(
      'snapshot',
      'PUT',
      `${this.basePath}/access/${encodeURIComponent(access.integrationId)}/snapshots/${access.version}`,
      body,
      correlationId,
    );
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private holdPath(integrationId: string, commandId: string): string {
    return `${this.basePath}/access/${encodeURIComponent(integrationId)}/holds/${CommandIdSchema.parse(commandId)}`;
  }

  private async send(
    operation: AccessUnavailableError['operation'],
    method: 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    correlationId: string,
  ): Promise<void> {
    let status: number;
    try {
      const response = await this.agent.request({
        origin: this.origin,
        path,
        method,
        headers: {
          accept: 'application/json',
          [InternalHeaders.correlationId]: correlationId,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.statusCode;
      await response.body.dump();
    } catch (error) {
      throw new AccessUnavailableError(operation, transportReason(error));
    }
    if (status < 200 || status >= 300) throw new AccessUnavailableError(operation, `HTTP ${status}`);
  }
}

function transportReason(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string') return code;
  return typeof name === 'string' ? name : 'unknown error';
}
