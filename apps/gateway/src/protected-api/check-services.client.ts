import {
  type AclDecision,
  AclDecisionSchema,
  type ApiCallVerdict,
  ApiCallVerdictSchema,
  DecideBatchReplySchema,
  type DecisionRequest,
  DecisionRequestSchema,
  InternalHeaders,
  REFUSAL_ATTRIBUTION_HEADER,
  type SignedCall,
  SignedCallSchema,
  VerifyBatchReplySchema,
} from '@integrations/contracts';
import type { Logger } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import type { z } from 'zod';
import { BatchQueue, ItemFailure } from './batch-queue';

/** The oauth or acl service could not give an answer: the call is refused (503), never proxied. */
export class CheckUnavailableError extends Error {
  override readonly name = 'CheckUnavailableError';
  constructor(
    readonly service: 'oauth' | 'acl',
    /** The service's HTTP status, or the transport error code. */
    readonly reason: string,
    /** The client's request cannot be checked as sent (outside the contract, e.g. a URL too long). */
    readonly clientFault = false,
  ) {
    super(`${service} check failed: ${reason}`);
  }
}

/** The two checks of the hot path, as the authorizer sees them (one call each; batching is ours). */
export interface CheckServices {
  verify(call: SignedCall, correlationId: string): Promise<ApiCallVerdict>;
  decide(request: DecisionRequest, correlationId: string): Promise<AclDecision>;
}

// Read once: through the contracts barrel every access is a chain of CommonJS re-export getters,
// which showed in the hot path's profile (docs/PERFORMANCE.md).
const signedCallSchema = SignedCallSchema;
const decisionRequestSchema = DecisionRequestSchema;
const verifyBatchReplySchema = VerifyBatchReplySchema;
const decideBatchReplySchema = DecideBatchReplySchema;
const verdictSchema = ApiCallVerdictSchema;
const decisionSchema = AclDecisionSchema;
const CORRELATION_HEADER = InternalHeaders.correlationId;
// Usage counts refusals by integration (src/usage): oauth names it on refused verdicts when asked.
const ATTRIBUTION_HEADER = REFUSAL_ATTRIBUTION_HEADER;

const CHECK_TIMEOUT_MS = 5_000;
/** The contracts' batch limit; the byte limit keeps a batch's JSON well under a 2 MB body limit. */
const BATCH_LIMITS = { maxItems: 1_000, maxBytes: 1_048_576 };
/** A service without the batch endpoint (404) is asked one call at a time for this long. */
const SINGLE_CALLS_FOR_MS = 30_000;

interface Endpoint {
  origin: string;
  path: string;
}

/** A base URL may carry a path prefix (behind an internal ingress). */
function endpoint(baseUrl: string, path: string): Endpoint {
  const url = new URL(baseUrl);
  return { origin: url.origin, path: `${url.pathname.replace(/\/+$/, '')}${path}` };
}

interface Queued<T> {
  payload: T;
  correlationId: string;
}

/**
 * The checks over keep-alive connections (one undici Agent, pooled per origin), batched (ADR 0006
 * §5): every verification waiting in the same turn of the event loop travels in one
 * `POST /oauth/verify/api-calls`, every decision in one `POST /decisions/batch`. Calls and replies
 * are validated with the shared contracts on the way out and in: a call outside the contract is
 * refused alone (it would fail the whole batch), a reply outside it fails its batch (503 for its
 * calls).
 *
 * Until every oauth and acl replica serves the batch endpoints, a 404 from one makes the client
 * send single calls (`/oauth/verify/api-call`, `/decisions`) for a while.
 */
export class BatchedCheckServices implements CheckServices {
  private readonly verifications: BatchQueue<Queued<SignedCall>, ApiCallVerdict>;
  private readonly decisions: BatchQueue<Queued<DecisionRequest>, AclDecision>;

  constructor(
    oauthUrl: string,
    aclUrl: string,
    private readonly agent: Agent,
    private readonly logger: Logger,
  ) {
    const verifyBatch = new BatchService('oauth', {
      batch: endpoint(oauthUrl, '/oauth/verify/api-calls'),
      single: endpoint(oauthUrl, '/oauth/verify/api-call'),
      wrap: (calls) => ({ calls }),
      unwrap: (reply) => parseWith(verifyBatchReplySchema, reply)?.verdicts,
      parseSingle: parseSingleVerdict,
      agent,
      logger,
    });
    const decideBatch = new BatchService('acl', {
      batch: endpoint(aclUrl, '/decisions/batch'),
      single: endpoint(aclUrl, '/decisions'),
      wrap: (requests) => ({ requests }),
      unwrap: (reply) => parseWith(decideBatchReplySchema, reply)?.decisions,
      parseSingle: (reply) => parseWith(decisionSchema, reply),
      agent,
      logger,
    });
    this.verifications = new BatchQueue(
      (items) => verifyBatch.send(items),
      BATCH_LIMITS,
      ({ payload }) => payload.url.length + (payload.authorization?.length ?? 0) + (payload.body?.length ?? 0) + 100,
      (expected, got) => new CheckUnavailableError('oauth', `${got} verdicts for ${expected} calls`),
    );
    this.decisions = new BatchQueue(
      (items) => decideBatch.send(items),
      BATCH_LIMITS,
      ({ payload }) => payload.path.length + 100,
      (expected, got) => new CheckUnavailableError('acl', `${got} decisions for ${expected} requests`),
    );
  }

  verify(call: SignedCall, correlationId: string): Promise<ApiCallVerdict> {
    if (!signedCallSchema.safeParse(call).success)
      return Promise.reject(new CheckUnavailableError('oauth', 'call outside the contract', true));
    return this.verifications.submit({ payload: call, correlationId });
  }

  decide(request: DecisionRequest, correlationId: string): Promise<AclDecision> {
    if (!decisionRequestSchema.safeParse(request).success)
      return Promise.reject(new CheckUnavailableError('acl', 'request outside the contract', true));
    return this.decisions.submit({ payload: request, correlationId });
  }
}

interface BatchServiceOptions<I, O> {
  batch: Endpoint;
  single: Endpoint;
  wrap(items: I[]): unknown;
  /** The batch reply's results, or undefined when it breaks the contract. */
  unwrap(reply: unknown): O[] | undefined;
  parseSingle(reply: unknown): O | undefined;
  agent: Agent;
  logger: Logger;
}

/** One service's batch endpoint, with the single-call endpoint as the fallback of a 404. */
class BatchService<I, O> {
  private singleCallsUntil = 0;

  constructor(
    private readonly service: 'oauth' | 'acl',
    private readonly options: BatchServiceOptions<I, O>,
  ) {}

  async send(items: Array<Queued<I>>): Promise<Array<O | ItemFailure>> {
    if (Date.now() < this.singleCallsUntil) return this.sendOneByOne(items);
    // A lone call keeps its own correlation id end to end; a batch gets one of its own, logged
    // with the calls' ids so that either can be found from the other.
    const correlationId = items.length === 1 ? items[0].correlationId : randomUUID();
    if (items.length > 1)
      this.options.logger.debug(
        { service: this.service, correlationId, calls: items.map((item) => item.correlationId) },
        'check batch sent',
      );
    const reply = await this.post(
      this.options.batch,
      this.options.wrap(items.map((item) => item.payload)),
      correlationId,
    );
    if (reply.status === 404) {
      this.singleCallsUntil = Date.now() + SINGLE_CALLS_FOR_MS;
      this.options.logger.warn(
        { service: this.service, path: this.options.batch.path },
        `the ${this.service} service has no batch endpoint: checks go one call at a time for ${SINGLE_CALLS_FOR_MS / 1000} s`,
      );
      return this.sendOneByOne(items);
    }
    if (reply.status !== 200) throw new CheckUnavailableError(this.service, `HTTP ${reply.status}`);
    const results = this.options.unwrap(reply.body);
    if (!results) {
      this.options.logger.error(
        { service: this.service, correlationId },
        `the ${this.service} service answered a batch outside the contract`,
      );
      throw new CheckUnavailableError(this.service, 'reply outside the contract');
    }
    return results;
  }

  /** Each call on its own: one that fails fails alone. */
  private sendOneByOne(items: Array<Queued<I>>): Promise<Array<O | ItemFailure>> {
    return Promise.all(
      items.map(async (item) => {
        try {
          const reply = await this.post(this.options.single, item.payload, item.correlationId);
          if (reply.status !== 200)
            throw new CheckUnavailableError(this.service, `HTTP ${reply.status}`, reply.status === 400);
          const result = this.options.parseSingle(reply.body);
          if (result === undefined) throw new CheckUnavailableError(this.service, 'reply outside the contract');
          return result;
        } catch (error) {
          return new ItemFailure(error);
        }
      }),
    );
  }

  private async post(
    { origin, path }: Endpoint,
    payload: unknown,
    correlationId: string,
  ): Promise<{ status: number; body: unknown }> {
    let response;
    try {
      response = await this.options.agent.request({
        origin,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          [CORRELATION_HEADER]: correlationId,
          [ATTRIBUTION_HEADER]: '1',
        },
        body: JSON.stringify(payload),
        headersTimeout: CHECK_TIMEOUT_MS,
        bodyTimeout: CHECK_TIMEOUT_MS,
      });
    } catch (error) {
      throw new CheckUnavailableError(this.service, (error as { code?: string }).code ?? (error as Error).name);
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      return { status: response.statusCode, body: undefined };
    }
    try {
      return { status: 200, body: await response.body.json() };
    } catch (error) {
      throw new CheckUnavailableError(this.service, (error as { code?: string }).code ?? 'invalid JSON');
    }
  }
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The single-call verdict of an oauth service that predates the contract's `scheme` field:
 * accepted as `oauth` (only used in logs). Goes with the single-call fallback.
 */
function parseSingleVerdict(reply: unknown): ApiCallVerdict | undefined {
  const verdict = reply as { ok?: unknown; scheme?: unknown } | null;
  const withScheme = verdict?.ok === true && verdict.scheme === undefined ? { ...verdict, scheme: 'oauth' } : reply;
  return parseWith(verdictSchema, withScheme);
}
