import { ADMIN } from './support/gateway-harness';
import { startAdminStack, type AdminStack } from './support/admin-stack';
import type { RequestOptions } from './support/http-client';

jest.setTimeout(90_000);

/**
 * Bad input at the admin API: every case is answered 4xx with a stable code, and nothing is stored
 * (the registry's collections hold exactly as many documents as before, the grid total is unchanged).
 */
const PASSWORD = ADMIN.password;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const valid = { name: 'Valid Name', resourceAccess: 'all', currentPassword: PASSWORD };
const long = (n: number) => 'x'.repeat(n);
const url255plus = `https://example.com/${long(250)}`;

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `:target` is replaced by an existing integration's id. */
  path: string;
  options?: RequestOptions;
  status: number;
  code: string;
  /** Expected `details` entries (subset match), when the answer should say which field. */
  details?: Array<Record<string, unknown>>;
}

const post = (name: string, body: unknown, status: number, code: string, details?: Case['details']): Case => ({
  name,
  method: 'POST',
  path: '/admin/v1/integrations',
  options: { body },
  status,
  code,
  details,
});
const field = (fieldName: string, code: string) => [{ field: fieldName, code }];

const cases: Case[] = [
  // Integration fields (validated by the registry, passed through by the gateway).
  post(
    'missing name',
    { resourceAccess: 'all', currentPassword: PASSWORD },
    400,
    'REQUEST.INVALID',
    field('name', 'REQUEST.FIELD_REQUIRED'),
  ),
  post('name not a string', { ...valid, name: 42 }, 400, 'REQUEST.INVALID', [{ field: 'name' }]),
  post(
    'whitespace-only name',
    { ...valid, name: '   \t ' },
    400,
    'REQUEST.INVALID',
    field('name', 'INTEGRATION.NAME_REQUIRED'),
  ),
  post(
    '256-character name',
    { ...valid, name: long(256) },
    400,
    'REQUEST.INVALID',
    field('name', 'INTEGRATION.NAME_TOO_LONG'),
  ),
  post(
    'email without @',
    { ...valid, email: 'not-an-email' },
    400,
    'REQUEST.INVALID',
    field('email', 'INTEGRATION.EMAIL_INVALID'),
  ),
  post(
    'email with spaces',
    { ...valid, email: 'a b@example.com' },
    400,
    'REQUEST.INVALID',
    field('email', 'INTEGRATION.EMAIL_INVALID'),
  ),
  post(
    '255-character email',
    { ...valid, email: `${long(243)}@example.com` },
    400,
    'REQUEST.INVALID',
    field('email', 'INTEGRATION.EMAIL_TOO_LONG'),
  ),
  post(
    'javascript: callback URL',
    { ...valid, callbackUrl: 'javascript:alert(1)' },
    400,
    'REQUEST.INVALID',
    field('callbackUrl', 'INTEGRATION.URL_SCHEME'),
  ),
  post(
    'data: callback URL',
    { ...valid, callbackUrl: 'data:text/html,<script>alert(1)</script>' },
    400,
    'REQUEST.INVALID',
    [{ field: 'callbackUrl' }],
  ),
  post(
    'file: callback URL',
    { ...valid, callbackUrl: 'file:///etc/passwd' },
    400,
    'REQUEST.INVALID',
    field('callbackUrl', 'INTEGRATION.URL_SCHEME'),
  ),
  post(
    'ftp: callback URL',
    { ...valid, callbackUrl: 'ftp://partner.example.com/cb' },
    400,
    'REQUEST.INVALID',
    field('callbackUrl', 'INTEGRATION.URL_SCHEME'),
  ),
  post(
    'relative callback URL',
    { ...valid, callbackUrl: '/oauth/callback' },
    400,
    'REQUEST.INVALID',
    field('callbackUrl', 'INTEGRATION.URL_INVALID'),
  ),
  post('scheme-relative callback URL', { ...valid, callbackUrl: '//partner.example.com/cb' }, 400, 'REQUEST.INVALID', [
    { field: 'callbackUrl' },
  ]),
  post(
    'callback URL with credentials',
    { ...valid, callbackUrl: 'https://user:secret@partner.example.com/cb' },
    400,
    'REQUEST.INVALID',
    field('callbackUrl', 'INTEGRATION.URL_CREDENTIALS'),
  ),
  post(
    'callback URL over 255 characters',
    { ...valid, callbackUrl: url255plus },
    400,
    'REQUEST.INVALID',
    field('callbackUrl', 'INTEGRATION.URL_TOO_LONG'),
  ),
  post(
    'javascript: identity link URL',
    { ...valid, identityLinkUrl: 'JavaScript:alert(1)' },
    400,
    'REQUEST.INVALID',
    field('identityLinkUrl', 'INTEGRATION.URL_SCHEME'),
  ),
  post(
    'identity link URL with a user',
    { ...valid, identityLinkUrl: 'http://admin@partner.example.com/' },
    400,
    'REQUEST.INVALID',
    field('identityLinkUrl', 'INTEGRATION.URL_CREDENTIALS'),
  ),
  post(
    'missing resourceAccess',
    { name: 'Valid Name', currentPassword: PASSWORD },
    400,
    'REQUEST.INVALID',
    field('resourceAccess', 'REQUEST.FIELD_REQUIRED'),
  ),
  post(
    'bad resourceAccess',
    { ...valid, resourceAccess: 'some' },
    400,
    'REQUEST.INVALID',
    field('resourceAccess', 'REQUEST.INVALID_VALUE'),
  ),
  post(
    'resources not an array',
    { ...valid, resourceAccess: 'custom', resources: 'Magento_Sales::sales' },
    400,
    'REQUEST.INVALID',
    [{ field: 'resources' }],
  ),
  post('resource id not a string', { ...valid, resourceAccess: 'custom', resources: [7] }, 400, 'REQUEST.INVALID', [
    { field: 'resources.0' },
  ]),
  post(
    'unknown resources (details list them)',
    {
      ...valid,
      resourceAccess: 'custom',
      resources: ['Magento_Sales::sales', 'Vendor_Fake::nope', 'Magento_Nothing::x'],
    },
    400,
    'INTEGRATION.UNKNOWN_RESOURCES',
    [{ resource: 'Vendor_Fake::nope' }, { resource: 'Magento_Nothing::x' }],
  ),
  post('unknown field', { ...valid, status: 'active' }, 400, 'REQUEST.INVALID', [{ code: 'REQUEST.UNKNOWN_FIELD' }]),
  // Body shape and transport (checked by the gateway).
  post('body is an array', [valid], 400, 'REQUEST.INVALID'),
  {
    name: 'invalid JSON',
    method: 'POST',
    path: '/admin/v1/integrations',
    options: { rawBody: '{"name": "x",' },
    status: 400,
    code: 'REQUEST.INVALID_JSON',
  },
  {
    name: 'JSON string body',
    method: 'POST',
    path: '/admin/v1/integrations',
    options: { rawBody: '"just text"' },
    status: 400,
    code: 'REQUEST.INVALID_JSON',
  },
  { name: 'no body', method: 'POST', path: '/admin/v1/integrations', status: 400, code: 'REQUEST.INVALID' },
  post('body over 64 KiB', { ...valid, email: long(70 * 1024) }, 413, 'REQUEST.TOO_LARGE'),
  {
    name: 'form-encoded body',
    method: 'POST',
    path: '/admin/v1/integrations',
    options: {
      rawBody: `name=x&resourceAccess=all&currentPassword=${encodeURIComponent(PASSWORD)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    status: 415,
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  },
  // The admin's password.
  post('missing currentPassword', { name: 'Valid Name', resourceAccess: 'all' }, 400, 'ADMIN.PASSWORD_REQUIRED', [
    { field: 'currentPassword' },
  ]),
  post('empty currentPassword', { ...valid, currentPassword: '' }, 400, 'ADMIN.PASSWORD_REQUIRED'),
  post('currentPassword not a string', { ...valid, currentPassword: 12345678901234 }, 400, 'ADMIN.PASSWORD_REQUIRED'),
  post('wrong currentPassword', { ...valid, currentPassword: 'not my password' }, 403, 'ADMIN.PASSWORD_MISMATCH'),
  // Updates of an existing integration.
  {
    name: 'update with a bad URL',
    method: 'PUT',
    path: '/admin/v1/integrations/:target',
    options: { body: { ...valid, callbackUrl: 'javascript:x' } },
    status: 400,
    code: 'REQUEST.INVALID',
  },
  {
    name: 'update with an unknown field',
    method: 'PUT',
    path: '/admin/v1/integrations/:target',
    options: { body: { ...valid, setupType: 'config' } },
    status: 400,
    code: 'REQUEST.INVALID',
  },
  {
    name: 'update without currentPassword',
    method: 'PUT',
    path: '/admin/v1/integrations/:target',
    options: { body: { name: 'Renamed', resourceAccess: 'all' } },
    status: 400,
    code: 'ADMIN.PASSWORD_REQUIRED',
  },
  {
    name: 'update with a malformed If-Match',
    method: 'PUT',
    path: '/admin/v1/integrations/:target',
    options: { body: valid, headers: { 'if-match': 'yesterday' } },
    status: 400,
    code: 'REQUEST.INVALID',
  },
  {
    name: 'update of an unknown id',
    method: 'PUT',
    path: `/admin/v1/integrations/${UNKNOWN_ID}`,
    options: { body: valid },
    status: 404,
    code: 'INTEGRATION.NOT_FOUND',
  },
  // Ids.
  {
    name: 'GET with a non-UUID id',
    method: 'GET',
    path: '/admin/v1/integrations/not-a-uuid',
    status: 400,
    code: 'REQUEST.INVALID',
    details: [{ field: 'id' }],
  },
  {
    name: 'PUT with a non-UUID id',
    method: 'PUT',
    path: '/admin/v1/integrations/123',
    options: { body: valid },
    status: 400,
    code: 'REQUEST.INVALID',
  },
  {
    name: 'DELETE with a non-UUID id',
    method: 'DELETE',
    path: "/admin/v1/integrations/1'%20OR%20'1'='1",
    status: 400,
    code: 'REQUEST.INVALID',
  },
  {
    name: 'history with a non-UUID id',
    method: 'GET',
    path: '/admin/v1/integrations/..%2F..%2Fetc/history',
    status: 400,
    code: 'REQUEST.INVALID',
  },
  {
    name: 'GET an unknown id',
    method: 'GET',
    path: `/admin/v1/integrations/${UNKNOWN_ID}`,
    status: 404,
    code: 'INTEGRATION.NOT_FOUND',
  },
  {
    name: 'DELETE an unknown id',
    method: 'DELETE',
    path: `/admin/v1/integrations/${UNKNOWN_ID}`,
    status: 404,
    code: 'INTEGRATION.NOT_FOUND',
  },
  {
    name: 'DELETE with an unknown query parameter',
    method: 'DELETE',
    path: '/admin/v1/integrations/:target?force=true',
    status: 400,
    code: 'REQUEST.INVALID',
  },
  {
    name: 'DELETE with a stale expectedVersion',
    method: 'DELETE',
    path: '/admin/v1/integrations/:target?expectedVersion=9',
    status: 409,
    code: 'INTEGRATION.CONFLICT',
  },
  // List and history queries.
  ...[
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['pageSize=0', 'pageSize'],
    ['pageSize=201', 'pageSize'],
    ['sort=email', 'sort'],
    ['sort=%2Bname', 'sort'],
    ['status=enabled', 'status'],
    ['status=Active', 'status'],
    ['name=a&name=b', 'name'],
    [`name=${long(256)}`, 'name'],
    ['foo=1', undefined],
  ].map(([query, fieldName]: Array<string | undefined>): Case => ({
    name: `list with ${query!.length > 30 ? `${query!.slice(0, 30)}…` : query}`,
    method: 'GET',
    path: `/admin/v1/integrations?${query}`,
    status: 400,
    code: 'REQUEST.INVALID',
    details: fieldName ? [{ field: fieldName }] : undefined,
  })),
  {
    name: 'history with pageSize=500',
    method: 'GET',
    path: '/admin/v1/integrations/:target/history?pageSize=500',
    status: 400,
    code: 'REQUEST.INVALID',
    details: [{ field: 'pageSize' }],
  },
];

describe('bad input at the admin API: 4xx, a stable code, nothing stored', () => {
  let s: AdminStack;
  let targetId: string;

  async function storedState() {
    // The list first: it waits (read-your-writes) until the grid holds our last write.
    const list = await s.api.request('GET', '/admin/v1/integrations?pageSize=200', { token: s.token });
    const target = await s.api.request('GET', `/admin/v1/integrations/${targetId}`, { token: s.token });
    const collections = ['events', 'name_reservations', 'integration_grid', 'integration_history'];
    const counts = await Promise.all(collections.map((name) => s.registryDb.collection(name).countDocuments()));
    return {
      counts: Object.fromEntries(collections.map((name, i) => [name, counts[i]])),
      total: list.body.total,
      target: target.body,
    };
  }

  beforeAll(async () => {
    s = await startAdminStack('gw_bad');
    const target = await s.api.request('POST', '/admin/v1/integrations', {
      token: s.token,
      body: { ...valid, name: 'Bad Input Target' },
    });
    expect(target.status).toBe(201);
    targetId = target.body.id;
    // The history projection lags the event store a little; it must hold the target before we count.
    expect(
      (await s.api.request('GET', `/admin/v1/integrations/${targetId}/history`, { token: s.token })).body.total,
    ).toBe(1);
  });
  afterAll(() => s?.close());

  it(`has at least 30 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await storedState();
    const response = await s.api.request(c.method, c.path.replace(':target', targetId), {
      token: s.token,
      ...c.options,
    });
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status: c.status, code: c.code });
    expect(typeof response.body.error.message).toBe('string');
    expect(response.body.error.message.length).toBeGreaterThan(10);
    expect(JSON.stringify(response.body)).not.toContain(PASSWORD);
    if (c.details)
      expect(response.body.error.details).toEqual(
        expect.arrayContaining(c.details.map((d) => expect.objectContaining(d))),
      );
    expect(await storedState()).toEqual(before);
  });

  it('still works after all that (and the single wrong password did not lock the admin)', async () => {
    const created = await s.api.request('POST', '/admin/v1/integrations', {
      token: s.token,
      body: { ...valid, name: 'After Bad Input' },
    });
    expect(created.status).toBe(201);
    const list = await s.api.request('GET', '/admin/v1/integrations', { token: s.token });
    expect(list.body.total).toBe(2);
  });
});
