import type { MessageId } from '../../i18n/catalogue';

/**
 * History entries in words, in the interface locale. Event types, fields and values added later
 * than this list show as the API names them.
 */
type Translate = (id: MessageId, values?: Record<string, string | number>) => string;

const EVENTS = new Set([
  'IntegrationCreated',
  'IntegrationUpdated',
  'IntegrationActivationStarted',
  'IntegrationActivated',
  'IntegrationReauthorized',
  'IntegrationReset',
  'IntegrationDeleted',
  'IntegrationSuspended',
  'IntegrationResumed',
  'IntegrationExpired',
  'PartnerNotificationDelivered',
  'PartnerNotificationFailed',
  'ConsumerSecretRotated',
]);

const FIELDS = new Set([
  'name',
  'email',
  'callbackUrl',
  'identityLinkUrl',
  'resourceAccess',
  'resources',
  'insecure',
  'setupType',
  'mode',
  'reauthorize',
  'status',
  'notification',
  'attempt',
  'host',
  'httpStatus',
  'failure',
  'nextAttemptAt',
  'expiresAt',
  'ipAllowList',
  'rateLimit',
  'suspended',
  'expired',
  'previousSecretExpiresAt',
]);

/** Values of enumerated fields that have words of their own. */
const VALUES: Record<string, Record<string, MessageId>> = {
  resourceAccess: { all: 'form.resourceAccess.all', custom: 'form.resourceAccess.custom' },
  setupType: { manual: 'history.value.setupType.manual', config: 'history.value.setupType.config' },
  mode: { tokens: 'history.value.mode.tokens', exchange: 'history.value.mode.exchange' },
  status: { active: 'status.active', inactive: 'status.inactive', reset: 'status.reset' },
  notification: {
    'integration.reauthorized': 'history.value.notification.integration.reauthorized',
    'integration.deleted': 'history.value.notification.integration.deleted',
    'integration.suspended': 'history.value.notification.integration.suspended',
    'integration.resumed': 'history.value.notification.integration.resumed',
    'integration.expired': 'history.value.notification.integration.expired',
  },
  failure: {
    'OAUTH.CALLBACK_FAILED': 'history.value.failure.OAUTH.CALLBACK_FAILED',
    'OAUTH.CALLBACK_ADDRESS_REFUSED': 'history.value.failure.OAUTH.CALLBACK_ADDRESS_REFUSED',
    'OAUTH.CALLBACK_URL_INVALID': 'history.value.failure.OAUTH.CALLBACK_URL_INVALID',
    'OAUTH.NOTIFICATION_FAILED': 'history.value.failure.OAUTH.NOTIFICATION_FAILED',
  },
};

export function describeEvent(t: Translate, type: string): string {
  return EVENTS.has(type) ? t(`history.event.${type}` as MessageId) : type;
}

export interface ChangeLine {
  label: string;
  value: string;
  /** Long lists (resources) are shown folded, with their items here. */
  items?: string[];
}

const FOLD_AFTER = 4;

export function describeChanges(t: Translate, changes: Record<string, unknown>): ChangeLine[] {
  return Object.entries(changes)
    .filter(([key]) => key !== 'integrationId')
    .map(([key, value]) => {
      const label = FIELDS.has(key) ? t(`history.field.${key}` as MessageId) : key;
      if (Array.isArray(value) && value.length > FOLD_AFTER) {
        return {
          label,
          value: t(key === 'resources' ? 'history.value.resources' : 'history.value.items', { count: value.length }),
          items: value.map(String),
        };
      }
      return { label, value: show(t, key, value) };
    });
}

function show(t: Translate, key: string, value: unknown): string {
  // A failed notification with no next attempt was the last one.
  if (key === 'nextAttemptAt' && value === null) return t('history.value.noMoreAttempts');
  if (value === null || value === undefined || value === '') return t('history.value.empty');
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  const named = typeof value === 'string' ? VALUES[key]?.[value] : undefined;
  if (named) return t(named);
  if (Array.isArray(value)) return value.length === 0 ? t('history.value.none') : value.join(', ');
  if (key === 'rateLimit' && typeof value === 'object') {
    const limit = value as { requestsPerMinute?: number; burst?: number };
    return t('history.value.rateLimit', { perMinute: limit.requestsPerMinute ?? '?', burst: limit.burst ?? '?' });
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
