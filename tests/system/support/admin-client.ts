import type { IntegrationCredentials } from '@integrations/testing';

// The admin API's JSON is read ad hoc here: the tests assert on the fields they need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  body: Json;
}

export interface IntegrationInput {
  name: string;
  resourceAccess?: 'all' | 'custom';
  resources?: string[];
  email?: string;
}

/** What a test keeps of an integration: its id, the version it last saw and its credentials. */
export interface KnownIntegration {
  id: string;
  name: string;
  version: number;
  credentials?: IntegrationCredentials;
}

/**
 * The admin API (`/admin/v1`) as a signed-in admin uses it, through one base URL (NGINX, or one
 * gateway replica). Every method answers the status and JSON body; none retries or throws on a 4xx/5xx.
 */
export class AdminClient {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
    /** The admin's password: every change of an integration asks for it again (Magento's rule). */
    readonly password: string,
  ) {}

  static async signIn(baseUrl: string, admin: { username: string; password: string }): Promise<AdminClient> {
    const response = await fetch(`${baseUrl}/admin/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    return new AdminClient(baseUrl, ((await response.json()) as Json).accessToken, admin.password);
  }

  /** The same admin session against another base URL (a gateway replica: sessions live in the database). */
  via(baseUrl: string): AdminClient {
    return new AdminClient(baseUrl, this.token, this.password);
  }

  get bearer(): string {
    return this.token;
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(70_000),
    });
    const text = await response.text();
    let parsed: Json;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed };
  }

  create(input: IntegrationInput): Promise<Reply> {
    return this.call('POST', '/admin/v1/integrations', {
      resourceAccess: 'all',
      ...input,
      currentPassword: this.password,
    });
  }

  update(id: string, version: number, input: IntegrationInput): Promise<Reply> {
    return this.call(
      'PUT',
      `/admin/v1/integrations/${id}`,
      { resourceAccess: 'all', ...input, currentPassword: this.password },
      { 'if-match': `"${version}"` },
    );
  }

  remove(id: string, version: number): Promise<Reply> {
    return this.call('DELETE', `/admin/v1/integrations/${id}?expectedVersion=${version}`);
  }

  get(id: string): Promise<Reply> {
    return this.call('GET', `/admin/v1/integrations/${id}`);
  }

  /** Activate, which for an integration without callback and identity link URLs issues tokens at once. */
  activate(id: string): Promise<Reply> {
    return this.call('POST', `/admin/v1/integrations/${id}/activate`, { currentPassword: this.password });
  }

  reauthorize(id: string): Promise<Reply> {
    return this.call('POST', `/admin/v1/integrations/${id}/reauthorize`, { currentPassword: this.password });
  }

  /** A name of an existing integration (manifest entries are found this way). */
  async findByName(name: string): Promise<Json | undefined> {
    const reply = await this.call('GET', `/admin/v1/integrations?name=${encodeURIComponent(name)}&pageSize=50`);
    if (reply.status !== 200) throw new Error(`listing integrations: ${reply.status} ${JSON.stringify(reply.body)}`);
    return (reply.body.items as Json[]).find((item) => item.name === name);
  }
}
