import { parseSettingInput, settingInputOf } from './setting-value';

const integer = { path: 'oauth/consumer/post_timeout', type: 'integer', label: 'Timeout', min: 1, max: 60, value: 5 };
const yesNo = {
  path: 'webapi/webapisecurity/allow_insecure',
  type: 'boolean',
  label: 'Allow Anonymous Guest Access',
  value: false,
};

describe('settings form values', () => {
  it('round-trips Yes/No and numbers through the inputs', () => {
    expect(settingInputOf(yesNo, true)).toBe('1');
    expect(parseSettingInput(yesNo, '1')).toEqual({ ok: true, value: true });
    expect(parseSettingInput(yesNo, '0')).toEqual({ ok: true, value: false });
    expect(parseSettingInput(integer, ' 30 ')).toEqual({ ok: true, value: 30 });
  });

  it('refuses what the config service would, with the range for the message', () => {
    for (const input of ['', '0', '61', '2.5', '5s']) {
      expect(parseSettingInput(integer, input)).toEqual({
        ok: false,
        problem: { kind: 'whole-number', min: 1, max: 60 },
      });
    }
  });
});
