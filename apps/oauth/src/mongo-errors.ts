/** E11000: a unique index refused the write (MongoDB and FerretDB both use the code). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
