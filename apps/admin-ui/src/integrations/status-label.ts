import type { IntegrationStatus } from '../api/types';

export const STATUS_LABELS: Record<IntegrationStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  reset: 'Reset',
};

/** Magento's Activate column: "Reauthorize" only when active; a Reset row says "Activate" but reauthorizes. */
export function activationAction(status: IntegrationStatus): {
  label: 'Activate' | 'Reauthorize';
  reauthorize: boolean;
} {
  switch (status) {
    case 'active':
      return { label: 'Reauthorize', reauthorize: true };
    case 'reset':
      return { label: 'Activate', reauthorize: true };
    case 'inactive':
      return { label: 'Activate', reauthorize: false };
    default: {
      const _exhaustive: never = status;
      return _exhaustive;
    }
  }
}
