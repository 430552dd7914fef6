/**
 * Admin roles, as Magento's System › Permissions › User Roles grant resources to admin users. Three
 * fixed roles rather than an editable resource tree: what an admin of this page needs to tell apart
 * is "may change security", "may change integrations" and "may only look".
 *
 * | permission           | what it opens                                                                      | Magento's resource                                |
 * | -------------------- | ---------------------------------------------------------------------------------- | ------------------------------------------------- |
 * | `integrations:read`  | the grid, an integration, its history and Integration Details, the resource tree   | `Magento_Integration::integrations` (viewing)     |
 * | `integrations:write` | create, edit, delete, activate, reauthorize, rotate the consumer secret             | `Magento_Integration::integrations`               |
 * | `config:read`        | Stores › Configuration › Services                                                  | `Magento_Config::config`                          |
 * | `config:write`       | settings that do not open access (timeouts, cleanup…)                              | `Magento_Integration::config_oauth`               |
 * | `config:security`    | settings that open or widen access (`STEP_UP_SETTING_PATHS`)                       | (ours: Magento has one resource for the section)  |
 * | `admins:manage`      | admin accounts: list, change roles, disable, the audit trail                        | `Magento_User::acl_users`, `Magento_User::acl_roles` |
 */
export const ADMIN_ROLES = ['administrator', 'integrations-manager', 'viewer'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ADMIN_PERMISSIONS = [
  'integrations:read',
  'integrations:write',
  'config:read',
  'config:write',
  'config:security',
  'admins:manage',
] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<AdminRole, readonly AdminPermission[]>> = {
  administrator: ADMIN_PERMISSIONS,
  'integrations-manager': ['integrations:read', 'integrations:write', 'config:read', 'config:write'],
  viewer: ['integrations:read'],
};

/** Accounts created before roles existed have no `role`: they were full admins, and stay so. */
export const LEGACY_ROLE: AdminRole = 'administrator';

export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === 'string' && (ADMIN_ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: AdminRole, permission: AdminPermission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** How a role is named in messages meant for a person ("integrations manager"). */
export function roleName(role: AdminRole): string {
  return role.replace('-', ' ');
}
