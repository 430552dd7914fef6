import { splitSettingsChange } from './security-settings';

describe('PUT /admin/v1/config body', () => {
  it('names the step-up settings among the values and strips currentPassword from what is forwarded', () => {
    const change = splitSettingsChange({
      values: { 'oauth/consumer/post_timeout': 7, 'webapi/webapisecurity/allow_insecure': true },
      currentPassword: 'secret words',
    });
    expect(change).toEqual({
      forwarded: { values: { 'oauth/consumer/post_timeout': 7, 'webapi/webapisecurity/allow_insecure': true } },
      currentPassword: 'secret words',
      stepUpPaths: ['webapi/webapisecurity/allow_insecure'],
    });
  });

  it('needs no step-up for other settings, and forwards malformed bodies for the config service to refuse', () => {
    expect(splitSettingsChange({ values: { 'oauth/consumer/post_timeout': 7 } }).stepUpPaths).toEqual([]);
    expect(splitSettingsChange({ value: { 'oauth/signature/allow_hmac_sha1': true } })).toMatchObject({
      forwarded: { value: { 'oauth/signature/allow_hmac_sha1': true } },
      stepUpPaths: [],
    });
    expect(splitSettingsChange(undefined).forwarded).toEqual({});
    expect(splitSettingsChange([1]).forwarded).toEqual([1]);
  });
});
