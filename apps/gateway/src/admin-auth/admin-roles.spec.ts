import { ADMIN_PERMISSIONS, ADMIN_ROLES, roleAllows } from './admin-roles';

describe('admin roles', () => {
  const allowed = (role: (typeof ADMIN_ROLES)[number]) =>
    ADMIN_PERMISSIONS.filter((permission) => roleAllows(role, permission));

  it('administrator: everything, admin accounts and security settings included', () => {
    expect(allowed('administrator')).toEqual([...ADMIN_PERMISSIONS]);
  });

  it('integrations manager: integrations and the settings that open no access; no security, no accounts', () => {
    expect(allowed('integrations-manager')).toEqual([
      'integrations:read',
      'integrations:write',
      'config:read',
      'config:write',
    ]);
  });

  it('viewer: looks at integrations only', () => {
    expect(allowed('viewer')).toEqual(['integrations:read']);
  });
});
