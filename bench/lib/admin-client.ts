/**
 * The few admin API calls the benchmarks make through the gateway (the contract of docs/architecture.md), with
 * errors that carry the status and the error body so a broken setup says what went wrong.
 */
export interface IssuedCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

export class AdminClient {
  private constructor(
    readonly baseUrl: string,
    readonly token: string,
    private readonly password: string,
  ) {}

  static async login(baseUrl: string, username: string, password: string): Promise<AdminClient> {
    const reply = await call(baseUrl, 'POST', '/admin/v1/auth/login', undefined, { username, password });
    const token = (reply as { accessToken?: string }).accessToken;
    if (!token) throw new Error(`login as ${username} returned no accessToken`);
    return new AdminClient(baseUrl, token, password);
  }

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  createIntegration(fields: {
    name: string;
    email?: string;
    callbackUrl?: string;
    identityLinkUrl?: string;
    resourceAccess: 'all' | 'custom';
    resources?: string[];
  }) {
    return this.call('POST', '/admin/v1/integrations', { ...fields, currentPassword: this.password }) as Promise<{
      id: string;
      version: number;
    }>;
  }

  list(query: string) {
    return this.call('GET', `/admin/v1/integrations?${query}`) as Promise<{ items: unknown[]; total: number }>;
  }

  /** Tokens mode (no callback/identity link): the reply carries the four credentials. */
  async activate(id: string): Promise<IssuedCredentials> {
    const reply = (await this.call('POST', `/admin/v1/integrations/${id}/activate`, {
      currentPassword: this.password,
    })) as {
      mode?: string;
      credentials?: IssuedCredentials;
    };
    if (reply.mode !== 'tokens' || !reply.credentials)
      throw new Error(`activation of ${id} did not answer tokens mode: ${JSON.stringify({ mode: reply.mode })}`);
    return reply.credentials;
  }

  call(method: string, path: string, body?: unknown): Promise<unknown> {
    return call(this.baseUrl, method, path, this.authorization, body);
  }
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  authorization: string | undefined,
  body?: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(600_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}
