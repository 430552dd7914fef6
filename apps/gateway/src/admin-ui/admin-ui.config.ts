import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Where the built admin UI is (`npm run build:admin-ui` writes apps/admin-ui/dist). A class, so
 * that Nest injects it by type.
 */
export class AdminUiConfig {
  constructor(
    /** Absolute path of the folder holding index.html and assets/. */
    readonly dir: string,
  ) {}
}

const adminUiEnv = z.object({
  ADMIN_UI_DIR: z
    .string()
    .trim()
    .min(1, 'ADMIN_UI_DIR must name a folder (or be unset for apps/admin-ui/dist)')
    .default('apps/admin-ui/dist'),
});

/** Relative paths are taken from the working directory (the repository root for npm scripts). */
export function loadAdminUiConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AdminUiConfig {
  const parsed = adminUiEnv.safeParse(env);
  if (!parsed.success) throw new Error(`gateway: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  const dir = parsed.data.ADMIN_UI_DIR;
  return new AdminUiConfig(isAbsolute(dir) ? dir : resolve(cwd, dir));
}
