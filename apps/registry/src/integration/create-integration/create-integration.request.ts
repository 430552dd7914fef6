import { integrationFieldsSchema } from '../integration-fields';

/** POST /integrations: `{name, email?, callbackUrl?, identityLinkUrl?, resourceAccess, resources?}`; nothing else. */
export const createIntegrationRequest = integrationFieldsSchema;
