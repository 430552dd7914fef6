import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, type ErrorBody } from './errors';

/** Stable codes for framework-level HTTP errors (routing, body parsing). */
const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

/** Any thrown value -> status + `{error: {code, message, details?}}`. The one mapping place. */
export function toHttpError(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof DomainError) return { status: exception.status, body: exception.toBody() };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? String((response as { message: unknown }).message)
        : exception.message;
    return { status, body: { error: { code: HTTP_CODES[status] ?? `HTTP.${status}`, message } } };
  }
  const bodyError = exception as { type?: string; status?: number };
  if (bodyError?.type === 'entity.too.large') {
    return { status: 413, body: { error: { code: 'REQUEST.TOO_LARGE', message: 'The request body is too large.' } } };
  }
  if (bodyError?.type === 'entity.parse.failed') {
    return {
      status: 400,
      body: {
        error: {
          code: 'REQUEST.INVALID_JSON',
          message: 'The request body is not valid JSON. Check its syntax and try again.',
        },
      },
    };
  }
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return {
      status: bodyError.status,
      body: {
        error: {
          code: HTTP_CODES[bodyError.status] ?? `HTTP.${bodyError.status}`,
          message: 'The request could not be read.',
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'INTERNAL',
        message:
          'Something went wrong on our side. Try again; if it persists, contact the platform team with the correlation id.',
      },
    },
  };
}

@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = toHttpError(exception);
    if (status >= 500) {
      const error = exception as Error;
      this.logger.error(
        { err: { name: error?.name, message: error?.message, stack: error?.stack } },
        'unhandled error',
      );
    }
    if (!response.headersSent) response.status(status).json(body);
  }
}
