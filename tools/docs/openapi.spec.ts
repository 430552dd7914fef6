import { readFileSync } from 'node:fs';
import { IntegrationJsonSchema, IntegrationListFiltersSchema } from '@integrations/contracts';
import { buildOpenApi, ERROR_RESPONSES, OPENAPI_FILE, renderOpenApi } from './openapi';

type Schema = { required?: string[]; properties?: Record<string, unknown>; additionalProperties?: unknown };
type Doc = {
  paths: Record<string, Record<string, { parameters?: Array<{ name?: string }>; responses?: Record<string, unknown> }>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, { description: string }> };
};

describe('the admin API document (apps/gateway/src/openapi/openapi.json)', () => {
  const committed = readFileSync(OPENAPI_FILE, 'utf8');
  const doc = JSON.parse(committed) as Doc;

  it('is what the contracts generate today (run `node -r @swc-node/register tools/docs/openapi.ts` when this fails)', () => {
    expect(committed).toBe(renderOpenApi());
  });

  it('documents the integration JSON from its contract: every field, all required, nothing else', () => {
    const integration = doc.components.schemas.Integration;
    expect(Object.keys(integration.properties ?? {}).sort()).toEqual(Object.keys(IntegrationJsonSchema.shape).sort());
    expect(integration.required?.sort()).toEqual(Object.keys(IntegrationJsonSchema.shape).sort());
    expect(integration.additionalProperties).toBe(false);
  });

  it('lists the grid query parameters the gateway parses, and no other', () => {
    const parameters = doc.paths['/admin/v1/integrations'].get.parameters?.map((parameter) => parameter.name);
    expect(parameters).toEqual(Object.keys(IntegrationListFiltersSchema.shape));
  });

  it('describes each error status it uses, once', () => {
    const used = new Set(
      Object.values(doc.paths).flatMap((item) =>
        Object.values(item).flatMap((operation) =>
          Object.keys(operation.responses ?? {}).filter((s) => Number(s) >= 400),
        ),
      ),
    );
    expect([...used].sort()).toEqual(Object.keys(ERROR_RESPONSES).sort());
  });

  it('never documents a credential as something the API sends back, except where activation and a rotation show them once', () => {
    const { schemas } = buildOpenApi().components as Doc['components'];
    const withSecrets = Object.entries(schemas)
      .filter(([, schema]) =>
        /"(consumerSecret|accessTokenSecret|password|currentPassword)"/.test(JSON.stringify(schema)),
      )
      .map(([name]) => name)
      .sort();
    // Requests carry the admin's password; IssuedTokens (activation) and RotatedConsumerSecret
    // ("Rotate consumer secret" without a token exchange) are the replies that show a credential, once.
    expect(withSecrets).toEqual([
      'AdminChange',
      'IntegrationChange',
      'IntegrationSuspension',
      'IntegrationUpdate',
      'IssuedTokens',
      'LoginRequest',
      'PasswordConfirmation',
      'RotatedConsumerSecret',
      'SettingsChange',
    ]);
  });
});
