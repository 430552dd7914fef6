import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { CORRELATION_HEADER, type Logger } from '@integrations/service-kit';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { PublicBaseUrl } from '../activation/public-base-url';
import { GATEWAY_LOGGER } from '../gateway.tokens';
import { directCallUrl } from '../protected-api/signature-url';
import { TokenExchangeClient } from './token-exchange.client';
import { forwardedTokenRequest, type TokenStep } from './token-exchange.request';

type RequestWithRawBody = Request & { rawBody?: Buffer };

/**
 * Magento's `/oauth/token/request` and `/oauth/token/access` (frontend route `oauth`): public, no
 * session, no CSRF token (the signature is the proof). Magento's controllers take any method and the
 * method is part of what is signed, so GET is served as well as POST. The request goes to the oauth
 * service as received; its status and form body come back unchanged.
 */
@Controller('oauth/token')
export class OauthTokenController {
  constructor(
    private readonly client: TokenExchangeClient,
    private readonly publicBaseUrl: PublicBaseUrl,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
  ) {}

  @Post('request')
  postRequest(@Req() req: RequestWithRawBody, @Res() res: Response): Promise<void> {
    return this.relay('token-request', req, res);
  }

  @Get('request')
  getRequest(@Req() req: RequestWithRawBody, @Res() res: Response): Promise<void> {
    return this.relay('token-request', req, res);
  }

  @Post('access')
  postAccess(@Req() req: RequestWithRawBody, @Res() res: Response): Promise<void> {
    return this.relay('token-access', req, res);
  }

  @Get('access')
  getAccess(@Req() req: RequestWithRawBody, @Res() res: Response): Promise<void> {
    return this.relay('token-access', req, res);
  }

  private async relay(step: TokenStep, req: RequestWithRawBody, res: Response): Promise<void> {
    const correlationId = correlationOf(res);
    const forwarded = forwardedTokenRequest({
      method: req.method,
      // Magento signs `scheme://HttpHost + RequestUri`: the Host the partner called (so a partner
      // reaching us under another name than PUBLIC_BASE_URL still verifies) and the raw target.
      signedUrl: directCallUrl(
        this.publicBaseUrl.scheme(),
        req.headers.host,
        new URL(this.publicBaseUrl.get()).host,
        req.originalUrl,
      ),
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      rawBody: req.rawBody,
    });
    const { reply, failure } = await this.client.exchange(step, forwarded, correlationId);
    if (failure) {
      this.logger.warn(
        { step, reason: failure, status: reply.status, correlationId },
        'OAuth token endpoint: the oauth service could not answer',
      );
    } else if (reply.status !== 200) {
      // The body may name the consumer key; the code says all an operator needs.
      this.logger.debug({ step, status: reply.status, code: reply.code, correlationId }, 'OAuth token request refused');
    }
    // Set by hand rather than res.send(): Express would append "; charset=utf-8" to the type.
    res.status(reply.status);
    res.setHeader('Content-Type', 'application/x-www-form-urlencoded');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    if (reply.status === 503) res.setHeader('Retry-After', '5');
    res.end(reply.body);
  }
}

function correlationOf(res: Response): string {
  const value = res.getHeader(CORRELATION_HEADER);
  return typeof value === 'string' ? value : randomUUID();
}
