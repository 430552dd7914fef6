/** History entries in words. Unknown event types (added later) show their own name. */
const EVENTS: Record<string, string> = {
  IntegrationCreated: 'Created',
  IntegrationUpdated: 'Changed',
  IntegrationActivationStarted: 'Sent for activation (token exchange)',
  IntegrationActivated: 'Activated',
  IntegrationReauthorized: 'Re-authorized',
  IntegrationReset: 'Reset (configuration changed)',
  IntegrationDeleted: 'Deleted',
};

const FIELDS: Record<string, string> = {
  name: 'Name',
  email: 'Email',
  callbackUrl: 'Callback URL',
  identityLinkUrl: 'Identity link URL',
  resourceAccess: 'Resource Access',
  resources: 'Resources',
  insecure: 'Not secure',
  setupType: 'Setup type',
  mode: 'Mode',
  reauthorize: 'Reauthorize',
  status: 'Status',
};

export function describeEvent(type: string): string {
  return EVENTS[type] ?? type;
}

export interface ChangeLine {
  label: string;
  value: string;
  /** Long lists (resources) are shown folded, with their items here. */
  items?: string[];
}

const FOLD_AFTER = 4;

export function describeChanges(changes: Record<string, unknown>): ChangeLine[] {
  return Object.entries(changes)
    .filter(([key]) => key !== 'integrationId')
    .map(([key, value]) => {
      const label = FIELDS[key] ?? key;
      if (Array.isArray(value) && value.length > FOLD_AFTER) {
        return {
          label,
          value: `${value.length} ${key === 'resources' ? 'resources' : 'items'}`,
          items: value.map(String),
        };
      }
      return { label, value: show(key, value) };
    });
}

function show(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (key === 'resourceAccess') return value === 'all' ? 'All' : 'Custom';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
