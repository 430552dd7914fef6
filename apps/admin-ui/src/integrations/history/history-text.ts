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
};

export function describeEvent(type: string): string {
  return EVENTS[type] ?? type;
}

export function describeChanges(changes: Record<string, unknown>): string[] {
  return Object.entries(changes)
    .filter(([key]) => key !== 'integrationId')
    .map(([key, value]) => `${FIELDS[key] ?? key}: ${show(key, value)}`);
}

function show(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (key === 'resourceAccess') return value === 'all' ? 'All' : 'Custom';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
