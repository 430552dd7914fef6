import { DomainError, unauthorized } from '@integrations/service-kit';
import { type AdminPermission, type AdminRole, roleName } from './admin-roles';

/**
 * The admin-auth error vocabulary. Messages follow Magento's admin wording where it has one, and
 * never echo a password.
 */

// Magento's own text: the same for an unknown user and a wrong password, so it reveals neither.
export const invalidCredentials = () =>
  unauthorized(
    'ADMIN.INVALID_CREDENTIALS',
    'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.',
  );

export const unauthenticated = (reason: 'missing' | 'invalid' | 'expired' | 'revoked' | 'disabled') => {
  const why = {
    missing: 'This request needs an admin session token (Authorization: Bearer <token>).',
    invalid: 'The admin session token is not valid.',
    expired: 'Your admin session has expired.',
    revoked: 'Your admin session has ended.',
    disabled: 'Your admin account has been disabled by an administrator; your session has ended.',
  }[reason];
  return unauthorized('ADMIN.UNAUTHENTICATED', `${why} Sign in again at POST /admin/v1/auth/login.`);
};

export const passwordChangeRequired = () =>
  new DomainError(
    'ADMIN.PASSWORD_CHANGE_REQUIRED',
    'This password was generated at the first start and must be replaced: sign in again with "newPassword" set to a password of your choice (at least 12 characters).',
    403,
    [{ field: 'newPassword', message: 'Choose a new password.' }],
  );

export const newPasswordRejected = (problem: string) =>
  new DomainError('ADMIN.NEW_PASSWORD_REJECTED', problem, 400, [{ field: 'newPassword', message: problem }]);

// 423 Locked rather than 403: the client can tell "wait" from "not allowed" without parsing codes.
// Only answered to a signed-in admin (currentPassword); the sign-in itself never tells a lock apart.
export const accountLocked = (until: Date, signedOut: boolean) =>
  new DomainError(
    'ADMIN.LOCKED',
    `Your account is locked after too many failed password attempts, until ${until.toISOString()}.` +
      (signedOut ? ' You have been signed out; sign in again after that time.' : ' Try again after that time.'),
    423,
    { lockedUntil: until.toISOString() },
  );

export const passwordRequired = () =>
  new DomainError(
    'ADMIN.PASSWORD_REQUIRED',
    'Enter your current password ("currentPassword") to confirm this change.',
    400,
    [{ field: 'currentPassword', message: 'Your current admin password is required.' }],
  );

export const passwordMismatch = () =>
  new DomainError('ADMIN.PASSWORD_MISMATCH', 'You have entered an invalid password for current user.', 403, [
    { field: 'currentPassword', message: 'This is not your current admin password.' },
  ]);

/** What each permission opens, in the words of a refusal ("…does not allow changing integrations"). */
const PERMISSION_WORDS: Record<AdminPermission, string> = {
  'integrations:read': 'viewing integrations',
  'integrations:write': 'changing integrations (create, edit, delete, activate, reauthorize, rotate secrets)',
  'config:read': 'viewing the configuration',
  'config:write': 'changing the configuration',
  'config:security': 'changing security settings',
  'admins:manage': 'managing admin accounts',
};

/**
 * The signed-in admin's role does not include the permission the route needs. Answered before the
 * body is read or anything is asked of another service: nothing changes. `details` names both, so
 * the UI can say why without parsing the message.
 */
export const forbidden = (role: AdminRole, permission: AdminPermission) =>
  new DomainError(
    'ADMIN.FORBIDDEN',
    `Your role (${roleName(role)}) does not allow ${PERMISSION_WORDS[permission]}. Ask an administrator if you need it.`,
    403,
    { role, permission },
  );
