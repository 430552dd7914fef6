import { createContext, type ReactNode, useContext, useMemo } from 'react';
import type { AdminPermission, AdminProfile, AdminRole } from '../api/types';
import type { MessageId } from '../i18n/catalogue';
import { useI18n } from '../i18n/use-i18n';

/**
 * The signed-in admin's role and what it allows (GET /admin/v1/auth/me). The gateway enforces the
 * roles on every request; the UI only hides or disables what would be refused, and says why, so a
 * viewer is not invited to fill in a form that ends in a 403.
 */
interface ProfileApi {
  /** null when /me could not be read: then nothing is disabled, and the gateway's 403 says it. */
  profile: AdminProfile | null;
  can(permission: AdminPermission): boolean;
}

const ProfileContext = createContext<ProfileApi>({ profile: null, can: () => true });

export function AdminProfileProvider({ profile, children }: { profile: AdminProfile | null; children: ReactNode }) {
  const api = useMemo<ProfileApi>(
    () => ({ profile, can: (permission) => !profile || profile.permissions.includes(permission) }),
    [profile],
  );
  return <ProfileContext.Provider value={api}>{children}</ProfileContext.Provider>;
}

export function useAdminProfile(): ProfileApi {
  return useContext(ProfileContext);
}

export const ROLE_LABELS: Record<AdminRole, MessageId> = {
  administrator: 'role.administrator',
  'integrations-manager': 'role.integrationsManager',
  viewer: 'role.viewer',
};

/** "Your role (Viewer) …": the signed-in admin's role in the interface locale, for the reasons shown. */
export function useRoleName(): string {
  const { profile } = useAdminProfile();
  const { t } = useI18n();
  return profile ? t(ROLE_LABELS[profile.role]) : '';
}

/** Why this page's changes are not offered: shown where the actions would be. */
export function ReadOnlyNote({ id }: { id: 'role.readOnlyIntegrations' }) {
  const { t } = useI18n();
  const role = useRoleName();
  return (
    <p className="notice notice-info role-note" role="note">
      {t(id, { role })}
    </p>
  );
}
