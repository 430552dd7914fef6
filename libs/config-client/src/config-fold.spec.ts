import {
  foldConfigChanged,
  initialConfigViewState,
  type ConfigChangedMessage,
  type ConfigViewState,
} from './config-fold';

const event = (
  sequence: number,
  changes: ConfigChangedMessage['changes'],
  subject = 'config:default',
): ConfigChangedMessage => ({
  subject,
  sequence,
  changes,
});

function fold(events: ConfigChangedMessage[], state: ConfigViewState = initialConfigViewState()) {
  const outcomes = [];
  for (const e of events) {
    const result = foldConfigChanged(state, e);
    state = result.state;
    outcomes.push(result.outcome);
  }
  return { state, outcomes };
}

describe('foldConfigChanged', () => {
  it('starts from the catalog defaults', () => {
    const state = initialConfigViewState();
    expect(state.settings['oauth/consumer/expiration_period']).toBe(300);
    expect(state.versions.size).toBe(0);
  });

  it('applies events in version order and reports what changed', () => {
    const { state, outcomes } = fold([
      event(1, [{ path: 'webapi/webapisecurity/allow_insecure', value: true, previous: false }]),
      event(2, [
        { path: 'oauth/consumer/expiration_period', value: 900, previous: 300 },
        { path: 'webapi/webapisecurity/allow_insecure', value: false, previous: true },
      ]),
    ]);
    expect(state.settings['webapi/webapisecurity/allow_insecure']).toBe(false);
    expect(state.settings['oauth/consumer/expiration_period']).toBe(900);
    expect(state.versions.get('config:default')).toBe(2);
    expect(outcomes).toEqual([
      { kind: 'applied', changed: ['webapi/webapisecurity/allow_insecure'], ignored: [] },
      {
        kind: 'applied',
        changed: ['oauth/consumer/expiration_period', 'webapi/webapisecurity/allow_insecure'],
        ignored: [],
      },
    ]);
  });

  it('skips a redelivered version, so a re-published old event cannot undo a newer one', () => {
    const first = event(1, [{ path: 'oauth/consumer/post_timeout', value: 10, previous: 5 }]);
    const second = event(2, [{ path: 'oauth/consumer/post_timeout', value: 20, previous: 10 }]);
    const { state, outcomes } = fold([first, second, first, second]);
    expect(state.settings['oauth/consumer/post_timeout']).toBe(20);
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'duplicate', 'duplicate']);
  });

  it('applies a later version across a gap and reports the gap', () => {
    const { state, outcomes } = fold([
      event(1, [{ path: 'oauth/consumer/post_timeout', value: 10, previous: 5 }]),
      event(4, [{ path: 'oauth/consumer/post_maxredirects', value: 3, previous: 1 }]),
    ]);
    expect(state.settings['oauth/consumer/post_maxredirects']).toBe(3);
    expect(outcomes[1]).toEqual({
      kind: 'applied',
      changed: ['oauth/consumer/post_maxredirects'],
      ignored: [],
      gap: { expected: 2, got: 4 },
    });
  });

  it('applies what it can and reports unknown paths and values outside the bounds it knows', () => {
    const { state, outcomes } = fold([
      event(1, [
        { path: 'future/setting/path', value: 'x', previous: '' },
        { path: 'oauth/consumer/post_timeout', value: 600, previous: 5 },
        { path: 'oauth/consumer/post_maxredirects', value: 2, previous: 0 },
      ]),
    ]);
    expect(state.settings['oauth/consumer/post_timeout']).toBe(5);
    expect(state.settings['oauth/consumer/post_maxredirects']).toBe(2);
    expect(outcomes[0]).toEqual({
      kind: 'applied',
      changed: ['oauth/consumer/post_maxredirects'],
      ignored: [
        { path: 'future/setting/path', reason: 'unknown-path' },
        { path: 'oauth/consumer/post_timeout', reason: 'invalid-value' },
      ],
    });
  });

  it('keeps versions per stream and leaves earlier states untouched', () => {
    const start = initialConfigViewState();
    const { state } = fold(
      [event(1, [{ path: 'oauth/consumer/post_timeout', value: 7, previous: 5 }], 'config:other')],
      start,
    );
    expect(state.versions.get('config:other')).toBe(1);
    expect(state.versions.get('config:default')).toBeUndefined();
    expect(start.settings['oauth/consumer/post_timeout']).toBe(5);
    expect(Object.isFrozen(state.settings)).toBe(true);
  });
});
