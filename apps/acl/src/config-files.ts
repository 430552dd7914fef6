import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  readonly code = 'ACL.CONFIG_FILE_UNREADABLE';
}

/**
 * Reads one of the operator-replaceable JSON files at boot. Errors name the file and the variable
 * that points at it, because the fix is either in the file or in that variable.
 */
export function readJsonFile(file: string, what: string, envVariable: string): { path: string; json: unknown } {
  const path = locate(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(
      `${what} file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). ` +
        `Set ${envVariable} to its path (relative paths are taken from the working directory, then from the repository root).`,
    );
  }
  try {
    return { path, json: JSON.parse(text) };
  } catch (error) {
    throw new ConfigFileError(
      `${what} file ${path} is not valid JSON: ${(error as Error).message}. Fix the file or point ${envVariable} elsewhere.`,
    );
  }
}

/**
 * A relative path is taken from the working directory; when nothing is there, from the repository
 * root, so the defaults work when the service is started from elsewhere (jest, nx).
 */
function locate(file: string): string {
  const fromCwd = resolve(file);
  if (isAbsolute(file) || existsSync(fromCwd)) return fromCwd;
  const fromRepo = resolve(__dirname, '../../..', file);
  return existsSync(fromRepo) ? fromRepo : fromCwd;
}
