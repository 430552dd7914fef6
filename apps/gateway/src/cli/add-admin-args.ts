import { parseArgs } from 'node:util';
import { ADMIN_ROLES, type AdminRole, isAdminRole } from '../admin-auth/admin-roles';
import { PASSWORD_MIN_LENGTH } from '../admin-auth/password-policy';

/** The command line of `npm run admin:add` (add-admin.ts), apart so that it is tested without a database. */
export const USAGE = `usage: npm run admin:add -- <username> --role <role>
       npm run admin:add -- <username> --reset [--role <role>]

  --role <role>  ${ADMIN_ROLES.join(' | ')}
                   administrator: everything, admin accounts and security settings included
                   integrations-manager: integrations, and the settings that open no access
                   viewer: looks at integrations, their history and details; changes nothing
  --reset        the admin exists: set a new password, lift a lock, end its sessions
  -h, --help     this text

  password: typed (hidden), piped on stdin, or ADMIN_NEW_PASSWORD; at least ${PASSWORD_MIN_LENGTH} characters`;

/** sysexits.h EX_USAGE: the command line was wrong; nothing was done. */
export const EXIT_USAGE = 64;

export type AddAdminArgs =
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string }
  | { kind: 'run'; username: string; role?: AdminRole; reset: boolean };

export function parseAddAdminArgs(argv: string[]): AddAdminArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        reset: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return { kind: 'usage-error', message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length !== 1)
    return {
      kind: 'usage-error',
      message:
        positionals.length === 0 ? 'the username is missing' : `one <username> expected, got ${positionals.length}`,
    };
  if (values.role !== undefined && !isAdminRole(values.role))
    return { kind: 'usage-error', message: `--role must be one of: ${ADMIN_ROLES.join(', ')} (got "${values.role}")` };
  if (!values.reset && values.role === undefined)
    return {
      kind: 'usage-error',
      message: `a new admin needs a role: --role ${ADMIN_ROLES.join(' | ')}`,
    };
  return { kind: 'run', username: positionals[0]!, role: values.role as AdminRole | undefined, reset: values.reset };
}
