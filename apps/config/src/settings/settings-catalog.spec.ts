// Tests of libs/contracts/src/config/settings.catalog.ts, kept beside its main user (the config
// service) because the contracts library has another owner.
import {
  defaultSettings,
  isHostPattern,
  SETTING_PATHS,
  SETTINGS_CATALOG,
  validateSettingValue,
  type SettingPath,
} from '@integrations/contracts';

describe('settings catalog', () => {
  it("has Magento's defaults for Magento's paths", () => {
    expect(defaultSettings()).toEqual({
      'webapi/webapisecurity/allow_insecure': false,
      'oauth/consumer/expiration_period': 300,
      'oauth/consumer/post_timeout': 5,
      'oauth/consumer/post_maxredirects': 0,
      'oauth/consumer/enable_integration_as_bearer': false,
      'oauth/consumer/outbound_allowlist': '',
      'oauth/consumer/secret_rotation_overlap': 0,
      'oauth/cleanup/cleanup_probability': 100,
      'oauth/cleanup/expiration_period': 120,
      'oauth/signature/allow_hmac_sha1': false,
      'oauth/signature/timestamp_window': 600,
      'oauth/access/reauthorize_grace_period': 0,
      // Ours (docs/adr/0010): no default rate limit until an admin sets one; a week's warning.
      'integrations/rate_limit/requests_per_minute': 0,
      'integrations/rate_limit/burst': 0,
      'integrations/expiry/warning_days': 7,
    });
  });

  it('carries Magento’s label and comment for guest access', () => {
    expect(SETTINGS_CATALOG['webapi/webapisecurity/allow_insecure']).toMatchObject({
      label: 'Allow Anonymous Guest Access',
      description:
        'This feature applies only to CMS, Catalog and Store APIs. Please consult your developers for details on potential security risks.',
      scope: 'global',
      origin: 'magento',
    });
  });

  it.each(SETTING_PATHS.map((path) => [path]))('accepts the default of %s unchanged', (path: SettingPath) => {
    expect(validateSettingValue(path, SETTINGS_CATALOG[path].default)).toEqual({
      ok: true,
      value: SETTINGS_CATALOG[path].default,
    });
  });

  it('hands out a fresh defaults object each time', () => {
    const first = defaultSettings() as Record<string, unknown>;
    first['oauth/consumer/post_timeout'] = 42;
    expect(defaultSettings()['oauth/consumer/post_timeout']).toBe(5);
  });

  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    ['1', true],
    ['0', false],
  ])('coerces %p to the boolean %p', (input, expected) => {
    expect(validateSettingValue('oauth/consumer/enable_integration_as_bearer', input)).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each(['true', 'yes', 2, '', null])('refuses %p as a boolean', (input) => {
    expect(validateSettingValue('oauth/consumer/enable_integration_as_bearer', input)).toMatchObject({
      ok: false,
      reason: 'invalid-value',
    });
  });

  it('answers unknown-path for a path outside the catalog', () => {
    expect(validateSettingValue('oauth/consumer/unknown', 1)).toEqual({
      ok: false,
      reason: 'unknown-path',
      message: 'oauth/consumer/unknown is not a known setting.',
    });
  });

  it('does not quote a rejected string (it could be anything someone pasted)', () => {
    const result = validateSettingValue('oauth/consumer/post_timeout', 's3cr3t-value');
    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
  });

  it('refuses a host list longer than its maximum', () => {
    expect(validateSettingValue('oauth/consumer/outbound_allowlist', 'a,'.repeat(1001))).toEqual({
      ok: false,
      reason: 'invalid-value',
      message: expect.stringMatching(/at most 2000 characters; got 2002 characters\.$/),
    });
  });

  it.each([
    'localhost',
    'partner.example.com',
    '127.0.0.1',
    '10.0.0.0/8',
    '0.0.0.0/0',
    '::1',
    'fd00::/8',
    '::ffff:127.0.0.1',
    'xn--bcher-kva.example',
  ])('accepts the host pattern %s', (entry) => expect(isHostPattern(entry)).toBe(true));

  it.each([
    'http://a.test',
    'a_b.test',
    '256.1.1.1',
    '10.0.0.0/33',
    '::1/129',
    '1.2.3',
    '-a.test',
    'a..test',
    '*.example.com',
    'fe80::1%eth0',
    '[::1]',
    '10.0.0.0/',
  ])('refuses the host pattern %s', (entry) => expect(isHostPattern(entry)).toBe(false));
});
