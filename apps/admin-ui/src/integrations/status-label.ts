import type { GridStatus, Integration, IntegrationStatus } from '../api/types';
import type { MessageId } from '../i18n/catalogue';

export const STATUS_LABELS: Record<IntegrationStatus, MessageId> = {
  active: 'status.active',
  inactive: 'status.inactive',
  reset: 'status.reset',
};

export const GRID_STATUS_LABELS: Record<GridStatus, MessageId> = {
  ...STATUS_LABELS,
  suspended: 'status.suspended',
  expired: 'status.expired',
};

/** What the Status column shows: a suspension first, then a passed expiry, then the activation status. */
export function gridStatus(integration: Pick<Integration, 'status' | 'suspended' | 'expired'>): GridStatus {
  if (integration.suspended) return 'suspended';
  if (integration.expired) return 'expired';
  return integration.status;
}

const DAY_MS = 86_400_000;

/**
 * Whole days (rounded up) until the expiry when it falls within the warning window
 * (`integrations/expiry/warning_days`; 0: no warning), else null. A passed expiry is Expired, not this.
 */
export function expiresInDays(expiresAt: string | null, now: number, warningDays: number): number | null {
  if (!expiresAt || warningDays <= 0) return null;
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0) || left > warningDays * DAY_MS) return null;
  return Math.ceil(left / DAY_MS);
}

/** Magento's Activate column: "Reauthorize" only when active; a Reset row says "Activate" but reauthorizes. */
export function activationAction(status: IntegrationStatus): {
  label: 'row.activate' | 'row.reauthorize';
  reauthorize: boolean;
} {
  switch (status) {
    case 'active':
      return { label: 'row.reauthorize', reauthorize: true };
    case 'reset':
      return { label: 'row.activate', reauthorize: true };
    case 'inactive':
      return { label: 'row.activate', reauthorize: false };
    default: {
      const _exhaustive: never = status;
      return _exhaustive;
    }
  }
}
