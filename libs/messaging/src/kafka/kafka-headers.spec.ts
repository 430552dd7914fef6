import { decodeHeaders, decodeNullable } from './kafka-headers';

describe('decodeHeaders', () => {
  it('decodes Buffer and string values as UTF-8 strings', () => {
    expect(decodeHeaders({ a: Buffer.from('é1'), b: 'two' })).toEqual({ a: 'é1', b: 'two' });
  });

  it('keeps the last value of a repeated header', () => {
    expect(decodeHeaders({ trace: [Buffer.from('first'), 'second', Buffer.from('third')] })).toEqual({
      trace: 'third',
    });
  });

  it('drops undefined values and accepts missing headers', () => {
    expect(decodeHeaders({ gone: undefined, kept: '' })).toEqual({ kept: '' });
    expect(decodeHeaders(undefined)).toEqual({});
  });
});

describe('decodeNullable', () => {
  it('keeps null (tombstones, keyless records) distinct from the empty string', () => {
    expect(decodeNullable(null)).toBeNull();
    expect(decodeNullable(undefined)).toBeNull();
    expect(decodeNullable(Buffer.alloc(0))).toBe('');
  });
});
