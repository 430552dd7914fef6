import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV } from '../gateway.tokens';

/**
 * The gateway's public base URL (no trailing slash): `PUBLIC_BASE_URL`, else
 * `http://<GATEWAY_HOST>:<port>` with the port the server really listens on (tests use port 0).
 * Partners receive it as `store_base_url` (plus "/") and come back to `<it>/admin/oauth/success`.
 */
@Injectable()
export class PublicBaseUrl {
  private resolved?: string;
  private resolvedHost?: string;

  constructor(
    @Inject(GATEWAY_ENV) private readonly config: GatewayEnv,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  get(): string {
    if (this.resolved) return this.resolved;
    if (this.config.publicBaseUrl) return (this.resolved = this.config.publicBaseUrl);
    const address = this.adapterHost.httpAdapter?.getHttpServer()?.address() as AddressInfo | null;
    const port = address?.port ?? this.config.port;
    const host = this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host;
    return (this.resolved = `http://${host}:${port}`);
  }

  /** `https` when TLS ends in front of the gateway (a https public URL), else `http`. */
  scheme(): 'http' | 'https' {
    return this.get().startsWith('https:') ? 'https' : 'http';
  }

  /** `host[:port]` of the public base URL: the signed host when a request's own Host is unusable. */
  host(): string {
    return (this.resolvedHost ??= new URL(this.get()).host);
  }
}
