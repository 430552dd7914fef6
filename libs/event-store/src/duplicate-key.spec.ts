import { duplicateKeyIndex, isDuplicateKeyError } from './duplicate-key';

const names = ['_id_', 'stream_version', 'position'];

describe('duplicate key errors', () => {
  it('recognises E11000 only', () => {
    expect(isDuplicateKeyError({ code: 11000 })).toBe(true);
    expect(isDuplicateKeyError({ code: 112 })).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });

  it('names the index from MongoDB keyPattern or message', () => {
    expect(duplicateKeyIndex({ code: 11000, keyPattern: { position: 1 } }, names)).toBe('position');
    expect(duplicateKeyIndex({ code: 11000, keyPattern: { streamId: 1, version: 1 } }, names)).toBe('stream_version');
    expect(
      duplicateKeyIndex(
        {
          code: 11000,
          message: 'E11000 duplicate key error collection: db.events index: position dup key: { position: 3 }',
        },
        names,
      ),
    ).toBe('position');
  });

  it('admits it does not know for FerretDB, which names no index', () => {
    expect(
      duplicateKeyIndex({ code: 11000, message: 'E11000 duplicate key error collection: db.events' }, names),
    ).toBeUndefined();
  });
});
