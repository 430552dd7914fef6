import { DomainError } from '@integrations/service-kit';
import { decide, evolve, initialSettingsState, type ChangeSettings, type SettingsEvent } from './settings.decider';

const now = new Date('2025-01-02T03:04:05Z');
const change = (values: Record<string, unknown>): ChangeSettings => ({
  type: 'ChangeSettings',
  values,
  actor: 'admin',
  now,
});
const changed = (
  ...changes: Array<{ path: string; value: string | number | boolean; previous: string | number | boolean }>
): SettingsEvent => ({
  type: 'ConfigChanged',
  payload: { changes },
});

function given(...history: SettingsEvent[]) {
  const state = history.reduce(evolve, initialSettingsState());
  return {
    when: (command: ChangeSettings) => ({
      then: (expected: SettingsEvent[]) => expect(decide(command, state)).toEqual(expected),
      thenRejects: (code: string, details: Array<{ field: string; message: string | RegExp }>, message?: RegExp) => {
        let thrown: unknown;
        try {
          decide(command, state);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(DomainError);
        const error = thrown as DomainError;
        expect(error.status).toBe(400);
        expect(error.code).toBe(code);
        expect(error.details).toEqual(
          details.map(({ field, message: m }) => ({
            field,
            message: typeof m === 'string' ? m : expect.stringMatching(m),
          })),
        );
        if (message) expect(error.message).toMatch(message);
      },
    }),
  };
}

describe('settings decider', () => {
  describe('ChangeSettings', () => {
    it('records every changed value with the default as its previous value', () =>
      given()
        .when(change({ 'webapi/webapisecurity/allow_insecure': true, 'oauth/consumer/expiration_period': 600 }))
        .then([
          changed(
            { path: 'webapi/webapisecurity/allow_insecure', value: true, previous: false },
            { path: 'oauth/consumer/expiration_period', value: 600, previous: 300 },
          ),
        ]));

    it('takes previous values from history', () =>
      given(changed({ path: 'oauth/consumer/post_timeout', value: 10, previous: 5 }))
        .when(change({ 'oauth/consumer/post_timeout': 20 }))
        .then([changed({ path: 'oauth/consumer/post_timeout', value: 20, previous: 10 })]));

    it('leaves unchanged values out of the event', () =>
      given(changed({ path: 'oauth/consumer/post_timeout', value: 10, previous: 5 }))
        .when(change({ 'oauth/consumer/post_timeout': 10, 'oauth/consumer/post_maxredirects': 2 }))
        .then([changed({ path: 'oauth/consumer/post_maxredirects', value: 2, previous: 0 })]));

    it('produces no event when nothing changes', () =>
      given(changed({ path: 'webapi/webapisecurity/allow_insecure', value: true, previous: false }))
        .when(change({ 'webapi/webapisecurity/allow_insecure': true, 'oauth/consumer/expiration_period': 300 }))
        .then([]));

    it('produces no event for an empty change', () => given().when(change({})).then([]));

    it('normalises Magento-style "1"/"0" booleans before comparing', () =>
      given(changed({ path: 'webapi/webapisecurity/allow_insecure', value: true, previous: false }))
        .when(change({ 'webapi/webapisecurity/allow_insecure': '1', 'oauth/signature/allow_hmac_sha1': 1 }))
        .then([changed({ path: 'oauth/signature/allow_hmac_sha1', value: true, previous: false })]));

    it('normalises host lists (trim, lower case, no duplicates, no empty entries)', () =>
      given()
        .when(change({ 'oauth/consumer/outbound_allowlist': ' LocalHost, 127.0.0.1 ,,10.0.0.0/8, localhost' }))
        .then([
          changed({ path: 'oauth/consumer/outbound_allowlist', value: 'localhost,127.0.0.1,10.0.0.0/8', previous: '' }),
        ]));

    it('accepts the bounds themselves', () =>
      given()
        .when(change({ 'oauth/consumer/post_timeout': 60, 'oauth/cleanup/cleanup_probability': 0 }))
        .then([
          changed(
            { path: 'oauth/consumer/post_timeout', value: 60, previous: 5 },
            { path: 'oauth/cleanup/cleanup_probability', value: 0, previous: 100 },
          ),
        ]));

    it('rejects unknown paths, listing each, even beside valid values', () =>
      given()
        .when(change({ 'oauth/consumer/post_timeout': 10, 'oauth/nope': 1, 'web/secure/x': true }))
        .thenRejects(
          'CONFIG.UNKNOWN_PATH',
          [
            { field: 'oauth/nope', message: 'oauth/nope is not a known setting.' },
            { field: 'web/secure/x', message: 'web/secure/x is not a known setting.' },
          ],
          /Unknown settings: oauth\/nope, web\/secure\/x\. Nothing was changed\. Known settings: .*oauth\/consumer\/post_timeout/,
        ));

    it('does not treat inherited object keys as settings', () =>
      given()
        .when(change(JSON.parse('{"__proto__": 1, "constructor": 2}')))
        .thenRejects('CONFIG.UNKNOWN_PATH', [
          { field: '__proto__', message: '__proto__ is not a known setting.' },
          { field: 'constructor', message: 'constructor is not a known setting.' },
        ]));

    it('rejects a value below the minimum with the allowed range', () =>
      given()
        .when(change({ 'oauth/consumer/post_timeout': 0 }))
        .thenRejects(
          'CONFIG.INVALID_VALUE',
          [
            {
              field: 'oauth/consumer/post_timeout',
              message: 'oauth/consumer/post_timeout must be an integer between 1 and 60 (seconds); got 0.',
            },
          ],
          /^oauth\/consumer\/post_timeout must be an integer between 1 and 60 \(seconds\); got 0\. Nothing was changed\.$/,
        ));

    it('rejects a value above the maximum with the allowed range', () =>
      given()
        .when(change({ 'oauth/consumer/post_maxredirects': 6 }))
        .thenRejects('CONFIG.INVALID_VALUE', [
          {
            field: 'oauth/consumer/post_maxredirects',
            message: 'oauth/consumer/post_maxredirects must be an integer between 0 and 5; got 6.',
          },
        ]));

    it('rejects wrong types: a numeric string or a fraction for an integer, a word for a boolean', () =>
      given()
        .when(
          change({
            'oauth/consumer/expiration_period': '600',
            'oauth/cleanup/expiration_period': 1.5,
            'webapi/webapisecurity/allow_insecure': 'yes',
            'oauth/consumer/outbound_allowlist': 42,
          }),
        )
        .thenRejects('CONFIG.INVALID_VALUE', [
          {
            field: 'oauth/consumer/expiration_period',
            message: 'oauth/consumer/expiration_period must be an integer between 1 and 86400 (seconds); got a string.',
          },
          {
            field: 'oauth/cleanup/expiration_period',
            message: 'oauth/cleanup/expiration_period must be an integer between 1 and 10080 (minutes); got 1.5.',
          },
          {
            field: 'webapi/webapisecurity/allow_insecure',
            message: /must be a boolean \(true or false.*got a string\.$/,
          },
          {
            field: 'oauth/consumer/outbound_allowlist',
            message: /must be a comma-separated list of host names.*; got 42\.$/,
          },
        ]));

    it('rejects null and nested values', () =>
      given()
        .when(change({ 'oauth/signature/timestamp_window': null, 'oauth/signature/allow_hmac_sha1': { on: true } }))
        .thenRejects('CONFIG.INVALID_VALUE', [
          { field: 'oauth/signature/timestamp_window', message: /between 30 and 3600 \(seconds\); got null\.$/ },
          { field: 'oauth/signature/allow_hmac_sha1', message: /got a value of type object\.$/ },
        ]));

    it('rejects a host list entry that is neither a host, an address nor a CIDR range', () =>
      given()
        .when(change({ 'oauth/consumer/outbound_allowlist': 'localhost,http://evil.test/' }))
        .thenRejects('CONFIG.INVALID_VALUE', [
          { field: 'oauth/consumer/outbound_allowlist', message: /got an entry \(number 2\) that is none of these\.$/ },
        ]));

    it('reports unknown paths before bad values', () =>
      given()
        .when(change({ 'oauth/consumer/post_timeout': 0, 'nope/nope/nope': 1 }))
        .thenRejects('CONFIG.UNKNOWN_PATH', [
          { field: 'nope/nope/nope', message: 'nope/nope/nope is not a known setting.' },
        ]));
  });

  describe('evolve', () => {
    it('applies changes in order, the latest winning', () => {
      const state = [
        changed({ path: 'oauth/consumer/post_timeout', value: 10, previous: 5 }),
        changed({ path: 'oauth/consumer/post_timeout', value: 30, previous: 10 }),
      ].reduce(evolve, initialSettingsState());
      expect(state.values['oauth/consumer/post_timeout']).toBe(30);
      expect(state.values['oauth/consumer/expiration_period']).toBe(300);
    });

    it('keeps the previous value for a stored value the catalog no longer accepts, and ignores unknown paths', () => {
      const state = [
        changed({ path: 'oauth/consumer/post_timeout', value: 10, previous: 5 }),
        changed(
          { path: 'oauth/consumer/post_timeout', value: 999, previous: 10 },
          { path: 'gone/setting/path', value: 1, previous: 0 },
        ),
      ].reduce(evolve, initialSettingsState());
      expect(state.values['oauth/consumer/post_timeout']).toBe(10);
      expect(Object.keys(state.values)).not.toContain('gone/setting/path');
    });
  });
});
