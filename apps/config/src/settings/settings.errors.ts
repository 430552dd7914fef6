import { badRequest, type ErrorDetail } from '@integrations/service-kit';
import { SETTING_PATHS } from '@integrations/contracts';

export const ConfigErrorCodes = {
  unknownPath: 'CONFIG.UNKNOWN_PATH',
  invalidValue: 'CONFIG.INVALID_VALUE',
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
