import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AclResourcesController } from '../acl-resources/acl-resources.controller';
import { ActivationController } from '../activation/activation.controller';
import { AdminAccountsController } from '../admin-accounts/admin-accounts.controller';
import { AdminAuthController } from '../admin-auth/admin-auth.controller';
import { IntegrationDetailsController } from '../integration-details/integration-details.controller';
import { RotateConsumerSecretController } from '../integration-details/rotate-consumer-secret.controller';
import { AdminIntegrationsController } from '../integrations/admin-integrations.controller';
import { SettingsController } from '../settings/settings.controller';
import { IntegrationUsageController } from '../usage/integration-usage.controller';
import openapi from './openapi.json';

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: unknown }> }>>;
  components: { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> };
};
const doc = openapi as unknown as Document;

/** `METHOD /path/{param}` for every handler of the admin controllers, read from Nest's metadata. */
function adminRoutes(): string[] {
  const controllers = [
    AdminAuthController,
    AdminIntegrationsController,
    ActivationController,
    AclResourcesController,
    SettingsController,
    AdminAccountsController,
    IntegrationUsageController,
    IntegrationDetailsController,
    RotateConsumerSecretController,
  ];
  return controllers.flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const prototype = controller.prototype as unknown as Record<string, object>;
    return Object.getOwnPropertyNames(prototype)
      .map((name) => prototype[name])
      .filter((handler) => typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler))
      .map((handler) => {
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string;
        const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/:(\w+)/g, '{$1}');
        return `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]} ${path}`;
      });
  });
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => ['get', 'post', 'put', 'delete', 'patch'].includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('the admin OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents exactly the admin routes the gateway serves', () => {
    expect(documentedRoutes().sort()).toEqual(adminRoutes().sort());
  });

  it('describes every error answer with the shared error body', () => {
    for (const [name, response] of Object.entries(doc.components.responses)) {
      expect([name, response.content['application/json'].schema.$ref]).toEqual([
        name,
        '#/components/schemas/ErrorBody',
      ]);
    }
    for (const item of Object.values(doc.paths)) {
      for (const operation of Object.values(item)) {
        if (!operation.responses) continue;
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400) expect(response.$ref).toBe(`#/components/responses/E${status}`);
        }
      }
    }
  });
});
