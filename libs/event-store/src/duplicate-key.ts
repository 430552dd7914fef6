interface MongoErrorLike {
  code?: unknown;
  message?: unknown;
  keyPattern?: Record<string, unknown>;
}

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as MongoErrorLike).code === 11000;
}

/**
 * Which unique index a duplicate-key error hit, when the server says so. MongoDB reports
 * `keyPattern` and the index name; FerretDB v1 only says "E11000 duplicate key error collection: x",
 * so `undefined` means "ask the data".
 */
export function duplicateKeyIndex(error: unknown, indexNames: readonly string[]): string | undefined {
  const { keyPattern, message } = error as MongoErrorLike;
  if (keyPattern) {
    const keys = Object.keys(keyPattern).join(',');
    if (keys === 'position') return 'position';
    if (keys === 'streamId,version' || keys === '_id') return 'stream_version';
  }
  if (typeof message === 'string') {
    return indexNames.find((name) => message.includes(`index: ${name} `));
  }
  return undefined;
}
