import type { CreateIntegrationRequest } from '@integrations/contracts';

/**
 * The admin-editable fields of an integration, as the decider receives them. Their rules (lengths,
 * email and URL checks, each issue with a stable code) are the request contract's
 * (`CreateIntegrationRequestSchema` in libs/contracts), which the gateway documents too.
 */
export interface IntegrationFields {
  name: string;
  email: string | null;
  callbackUrl: string | null;
  identityLinkUrl: string | null;
  resourceAccess: 'all' | 'custom';
  resources: string[];
}

/**
 * Trimmed, nulls for blanks (the contract's parse did both), resources deduplicated and sorted.
 * `all` stores no ids (granting `Magento_Backend::all` is the acl service's business); ids sent
 * along with `all` are ignored, as Magento ignores the tree when "All" is selected.
 */
export function toIntegrationFields(input: CreateIntegrationRequest): IntegrationFields {
  const resources = input.resourceAccess === 'all' ? [] : [...new Set(input.resources ?? [])].sort();
  return {
    name: input.name,
    email: input.email,
    callbackUrl: input.callbackUrl,
    identityLinkUrl: input.identityLinkUrl,
    resourceAccess: input.resourceAccess,
    resources,
  };
}

/**
 * Magento's rule: either URL starts with `http:`; an empty URL is secure. Magento compares
 * case-sensitively; we also flag `HTTP:`, which it would miss, since we accept the scheme in any case.
 */
export function isInsecure(fields: Pick<IntegrationFields, 'callbackUrl' | 'identityLinkUrl'>): boolean {
  return [fields.callbackUrl, fields.identityLinkUrl].some((url) => url?.toLowerCase().startsWith('http:') ?? false);
}
