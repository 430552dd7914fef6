import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientAddressOf } from './client-address';
import { CLIENT_ADDRESS } from './rate-limit.tokens';
import { sendTokenExchangeRateLimited } from './rate-limit.replies';
import { RateLimits } from './rate-limits';

/** `/oauth/token/request|access`: by client address, before the request reaches the oauth service. */
@Injectable()
export class TokenExchangeRateLimitMiddleware implements NestMiddleware {
  constructor(
    private readonly limits: RateLimits,
    @Inject(CLIENT_ADDRESS) private readonly clientAddress: ClientAddressOf,
  ) {}

  async use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): Promise<void> {
    const verdict = await this.limits.consumeTokenExchange(this.clientAddress(req));
    if (verdict.allowed) return next();
    sendTokenExchangeRateLimited(res, verdict.retryAfterSeconds);
  }
}
