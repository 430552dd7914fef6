import { CreateIntegrationRequestSchema } from '@integrations/contracts';
import { isInsecure, toIntegrationFields } from './integration-fields';

const valid = { name: 'ERP Sync', resourceAccess: 'custom', resources: ['Magento_Sales::sales'] };

/** The `code`s of the issues a body produces, by field. */
function problems(body: unknown): Array<{ field: string; code: string }> {
  const result = CreateIntegrationRequestSchema.safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    field: issue.path.join('.'),
    code: (issue as { params?: { code?: string } }).params?.code ?? issue.code,
  }));
}

describe('integration fields', () => {
  it('normalises a valid body: trims, blanks become null, resources deduplicated and sorted', () => {
    const parsed = CreateIntegrationRequestSchema.parse({
      name: '  ERP Sync  ',
      email: '',
      callbackUrl: '   ',
      identityLinkUrl: null,
      resourceAccess: 'custom',
      resources: ['Magento_Sales::sales', 'Magento_Catalog::catalog', 'Magento_Sales::sales'],
    });
    expect(toIntegrationFields(parsed)).toEqual({
      name: 'ERP Sync',
      email: null,
      callbackUrl: null,
      identityLinkUrl: null,
      resourceAccess: 'custom',
      resources: ['Magento_Catalog::catalog', 'Magento_Sales::sales'],
    });
  });

  it('stores no resource ids for "all"', () => {
    const parsed = CreateIntegrationRequestSchema.parse({
      name: 'x',
      resourceAccess: 'all',
      resources: ['Magento_Sales::sales'],
    });
    expect(toIntegrationFields(parsed)).toMatchObject({ resourceAccess: 'all', resources: [] });
  });

  it('accepts names of exactly 1 and 255 characters and https/http URLs', () => {
    expect(problems({ ...valid, name: 'a' })).toEqual([]);
    expect(problems({ ...valid, name: 'a'.repeat(255) })).toEqual([]);
    expect(
      problems({
        ...valid,
        callbackUrl: 'https://erp.example.com:8443/cb?x=1',
        identityLinkUrl: 'http://127.0.0.1/login',
      }),
    ).toEqual([]);
    expect(problems({ ...valid, email: 'ops.team+erp@mail.example.co.uk' })).toEqual([]);
  });

  it.each([
    ['missing name', { resourceAccess: 'all' }, 'name', 'invalid_type'],
    ['blank name', { ...valid, name: '   ' }, 'name', 'INTEGRATION.NAME_REQUIRED'],
    ['name of 256 characters', { ...valid, name: 'a'.repeat(256) }, 'name', 'INTEGRATION.NAME_TOO_LONG'],
    ['numeric name', { ...valid, name: 42 }, 'name', 'invalid_type'],
    ['email without @', { ...valid, email: 'ops.example.com' }, 'email', 'INTEGRATION.EMAIL_INVALID'],
    ['email without dotted domain', { ...valid, email: 'ops@localhost' }, 'email', 'INTEGRATION.EMAIL_INVALID'],
    ['email with a space', { ...valid, email: 'o ps@example.com' }, 'email', 'INTEGRATION.EMAIL_INVALID'],
    [
      'email of 255 characters',
      { ...valid, email: `${'a'.repeat(243)}@example.com` },
      'email',
      'INTEGRATION.EMAIL_TOO_LONG',
    ],
    ['javascript: URL', { ...valid, callbackUrl: 'javascript:alert(1)' }, 'callbackUrl', 'INTEGRATION.URL_SCHEME'],
    [
      'data: URL',
      { ...valid, callbackUrl: 'data:text/html,<script>alert(1)</script>' },
      'callbackUrl',
      'INTEGRATION.URL_SCHEME',
    ],
    ['file: URL', { ...valid, identityLinkUrl: 'file:///etc/passwd' }, 'identityLinkUrl', 'INTEGRATION.URL_SCHEME'],
    ['ftp: URL', { ...valid, identityLinkUrl: 'ftp://example.com/x' }, 'identityLinkUrl', 'INTEGRATION.URL_SCHEME'],
    ['relative URL', { ...valid, callbackUrl: '/oauth/callback' }, 'callbackUrl', 'INTEGRATION.URL_INVALID'],
    [
      'scheme-relative URL',
      { ...valid, callbackUrl: '//evil.example.com/cb' },
      'callbackUrl',
      'INTEGRATION.URL_INVALID',
    ],
    [
      'URL with credentials',
      { ...valid, callbackUrl: 'https://user:pass@erp.example.com/cb' },
      'callbackUrl',
      'INTEGRATION.URL_CREDENTIALS',
    ],
    [
      'URL with a user name only',
      { ...valid, identityLinkUrl: 'https://user@erp.example.com/' },
      'identityLinkUrl',
      'INTEGRATION.URL_CREDENTIALS',
    ],
    [
      'URL with a space',
      { ...valid, callbackUrl: 'https://erp.example.com/a b' },
      'callbackUrl',
      'INTEGRATION.URL_INVALID',
    ],
    [
      'URL of 256 characters',
      { ...valid, callbackUrl: `https://erp.example.com/${'a'.repeat(232)}` },
      'callbackUrl',
      'INTEGRATION.URL_TOO_LONG',
    ],
    [
      'http with one slash',
      { ...valid, callbackUrl: 'http:/erp.example.com' },
      'callbackUrl',
      'INTEGRATION.URL_SCHEME',
    ],
    ['missing resourceAccess', { name: 'x' }, 'resourceAccess', 'invalid_value'],
    ['unknown resourceAccess', { ...valid, resourceAccess: 'some' }, 'resourceAccess', 'invalid_value'],
    ['resources not a list', { ...valid, resources: 'Magento_Sales::sales' }, 'resources', 'invalid_type'],
    ['resource not a string', { ...valid, resources: [1] }, 'resources.0', 'invalid_type'],
    ['unknown field', { ...valid, status: 'active' }, '', 'unrecognized_keys'],
    ['currentPassword (the gateway strips it)', { ...valid, currentPassword: 'x' }, '', 'unrecognized_keys'],
  ])('rejects %s', (_label, body, field, code) => {
    expect(problems(body)).toContainEqual({ field, code });
  });

  it('reports every problem at once', () => {
    expect(
      problems({ name: '', email: 'x', callbackUrl: 'ftp://a', resourceAccess: 'x', extra: 1 })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['', 'callbackUrl', 'email', 'name', 'resourceAccess']);
  });

  it('flags plain-http URLs as insecure and empty ones as secure', () => {
    expect(isInsecure({ callbackUrl: null, identityLinkUrl: null })).toBe(false);
    expect(isInsecure({ callbackUrl: 'https://a.example', identityLinkUrl: null })).toBe(false);
    expect(isInsecure({ callbackUrl: 'https://a.example', identityLinkUrl: 'http://b.example' })).toBe(true);
    expect(isInsecure({ callbackUrl: 'HTTP://a.example', identityLinkUrl: null })).toBe(true);
  });
});
