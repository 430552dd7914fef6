import { apiRequest } from './api-client';
import type {
  AclResource,
  AdminProfile,
  ActivationResult,
  ConfigView,
  HistoryEntry,
  Integration,
  IntegrationDetails,
  IntegrationInput,
  IntegrationQuery,
  IntegrationUsage,
  Page,
  RotatedSecret,
} from './types';

const V1 = '/admin/v1';

export interface LoginResult {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
}

export const authApi = {
  /** `newPassword` replaces the password in the same step (required for a generated one). */
  login: async (username: string, password: string, newPassword?: string) =>
    (
      await apiRequest<LoginResult>('POST', `${V1}/auth/login`, {
        body: newPassword === undefined ? { username, password } : { username, password, newPassword },
        authenticated: false,
      })
    ).body,
  logout: async () => {
    await apiRequest<void>('POST', `${V1}/auth/logout`);
  },
  me: async () => (await apiRequest<AdminProfile>('GET', `${V1}/auth/me`)).body,
  /** The admin's interface locale, kept on the account so it follows them to another browser. */
  setInterfaceLocale: async (interfaceLocale: string) =>
    (await apiRequest<AdminProfile>('PATCH', `${V1}/auth/me`, { body: { interfaceLocale } })).body,
};

export const integrationsApi = {
  list: async (query: IntegrationQuery) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return (await apiRequest<Page<Integration>>('GET', `${V1}/integrations${search ? `?${search}` : ''}`)).body;
  },
  get: async (id: string) =>
    (await apiRequest<Integration>('GET', `${V1}/integrations/${encodeURIComponent(id)}`)).body,
  create: async (input: IntegrationInput, currentPassword: string) =>
    (await apiRequest<Integration>('POST', `${V1}/integrations`, { body: { ...input, currentPassword } })).body,
  update: async (id: string, version: number, input: IntegrationInput, currentPassword: string) =>
    (
      await apiRequest<Integration>('PUT', `${V1}/integrations/${encodeURIComponent(id)}`, {
        body: { ...input, currentPassword },
        ifMatch: version,
      })
    ).body,
  remove: async (id: string, version: number) => {
    await apiRequest<unknown>('DELETE', `${V1}/integrations/${encodeURIComponent(id)}`, { ifMatch: version });
  },
  history: async (id: string, page: number, pageSize: number) =>
    (
      await apiRequest<Page<HistoryEntry> & { integrationId: string }>(
        'GET',
        `${V1}/integrations/${encodeURIComponent(id)}/history?page=${page}&pageSize=${pageSize}`,
      )
    ).body,
  details: async (id: string) =>
    (await apiRequest<IntegrationDetails>('GET', `${V1}/integrations/${encodeURIComponent(id)}/details`)).body,
  rotateConsumerSecret: async (id: string, currentPassword: string) =>
    (
      await apiRequest<RotatedSecret>('POST', `${V1}/integrations/${encodeURIComponent(id)}/consumer-secret/rotate`, {
        body: { currentPassword },
      })
    ).body,
  usage: async (id: string, days: number) =>
    (await apiRequest<IntegrationUsage>('GET', `${V1}/integrations/${encodeURIComponent(id)}/usage?days=${days}`)).body,
  /** Suspend (every call refused, credentials kept) or Resume, with the admin's password. */
  suspension: async (id: string, action: 'suspend' | 'resume', version: number, currentPassword: string) =>
    (
      await apiRequest<Integration>('POST', `${V1}/integrations/${encodeURIComponent(id)}/${action}`, {
        body: { currentPassword },
        ifMatch: version,
      })
    ).body,
  /** Activate, or Reauthorize (also what a Reset row's "Activate" runs). */
  authorize: async (id: string, reauthorize: boolean, currentPassword: string) =>
    (
      await apiRequest<ActivationResult>(
        'POST',
        `${V1}/integrations/${encodeURIComponent(id)}/${reauthorize ? 'reauthorize' : 'activate'}`,
        {
          body: { currentPassword },
        },
      )
    ).body,
};

export const aclApi = {
  /** The gateway may answer the tree itself or wrapped as `{resources}` (the acl service's shape). */
  resources: async (): Promise<AclResource[]> => {
    const body = (await apiRequest<AclResource[] | { resources: AclResource[] }>('GET', `${V1}/acl/resources`)).body;
    return Array.isArray(body) ? body : (body?.resources ?? []);
  },
};

export const configApi = {
  get: async () => (await apiRequest<ConfigView>('GET', `${V1}/config`)).body,
  /** `currentPassword` is required by the gateway when a security setting is among the values. */
  save: async (values: Record<string, unknown>, currentPassword?: string) =>
    (
      await apiRequest<ConfigView>('PUT', `${V1}/config`, {
        body: currentPassword ? { values, currentPassword } : { values },
      })
    ).body,
};
