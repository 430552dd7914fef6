import type { IntegrationStatus } from '../api/types';
import type { MessageId } from '../i18n/catalogue';

export const STATUS_LABELS: Record<IntegrationStatus, MessageId> = {
  active: 'status.active',
  inactive: 'status.inactive',
  reset: 'status.reset',
};

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
