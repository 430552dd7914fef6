/** A small JSON client for the gateway's admin API in tests (real HTTP, no supertest shortcuts). */
// Tests assert response bodies field by field; an untyped body keeps them readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  /** Serialized as JSON. */
  body?: unknown;
  /** Sent verbatim (invalid JSON, other content types). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export class AdminApi {
  constructor(readonly baseUrl: string) {}

  async request<T = Json>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  async login(username: string, password: string): Promise<string> {
    const response = await this.request('POST', '/admin/v1/auth/login', { body: { username, password } });
    if (response.status !== 200)
      throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.accessToken;
  }
}
