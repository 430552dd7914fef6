import { SETTING_PATHS } from '@integrations/contracts';
import { badRequest, conflict, type ErrorDetail } from '@integrations/service-kit';

/** Every error code the config service answers with, and its HTTP status: the one place they are mapped. */
export const ConfigErrorCodes = {
  /** A setting path the catalog does not declare. 400. */
  unknownPath: 'CONFIG.UNKNOWN_PATH',
  /** A value outside the setting's type or bounds. 400. */
  invalidValue: 'CONFIG.INVALID_VALUE',
  /** Another change was committed at the same time (after retries). 409. */
  conflict: 'CONFIG.CONFLICT',
} as const;

export const unknownSettingPaths = (paths: readonly string[]) =>
  badRequest(
    ConfigErrorCodes.unknownPath,
    `Unknown setting${paths.length > 1 ? 's' : ''}: ${paths.join(', ')}. Nothing was changed. Known settings: ${SETTING_PATHS.join(', ')}.`,
    paths.map((path): ErrorDetail => ({ field: path, message: `${path} is not a known setting.` })),
  );

/** One message per bad value, each naming the allowed range ("must be an integer between 1 and 60"). */
export const invalidSettingValues = (problems: ReadonlyArray<{ field: string; message: string }>) =>
  badRequest(
    ConfigErrorCodes.invalidValue,
    `${problems.map((problem) => problem.message).join(' ')} Nothing was changed.`,
    problems.map((problem): ErrorDetail => ({ ...problem })),
  );

export const settingsConflict = () =>
  conflict(
    ConfigErrorCodes.conflict,
    'The settings were changed by someone else at the same time. Reload them and try again.',
  );
