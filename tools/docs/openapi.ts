import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AclResourcesReplySchema,
  AclResourceTreeNodeSchema,
  ChangeSettingsRequestSchema,
  DeleteIntegrationQuerySchema,
  ErrorBodySchema,
  IfMatchSchema,
  IntegrationDeletedReplySchema,
  IntegrationGridItemSchema,
  IntegrationHistoryEntrySchema,
  IntegrationHistoryPageSchema,
  IntegrationHistoryQuerySchema,
  IntegrationJsonSchema,
  IntegrationListFiltersSchema,
  IntegrationListPageSchema,
  IntegrationUuidSchema,
  IntegrationViewStatusSchema,
  InternalHeaders,
  SettingsViewSchema,
  IntegrationUsageQuerySchema,
  CredentialDetailsReplySchema,
  RotateConsumerSecretReplySchema,
  IntegrationUsageSchema,
} from '@integrations/contracts';
import { z } from 'zod';
import {
  ActivationExchangeReplySchema,
  ActivationTokensReplySchema,
} from '../../apps/gateway/src/activation/activation.reply';
import { PasswordConfirmationSchema } from '../../apps/gateway/src/activation/activation.request';
import {
  AdminAccountJsonSchema,
  AdminAccountListSchema,
  AdminAuditPageSchema,
  AdminAuditQuerySchema,
  ChangeAdminAccountSchema,
} from '../../apps/gateway/src/admin-accounts/admin-accounts.schemas';
import {
  type AdminAuthController,
  loginBody,
  ProfileChangeSchema,
} from '../../apps/gateway/src/admin-auth/admin-auth.controller';
import { LoginReplySchema, MeReplySchema } from '../../apps/gateway/src/admin-auth/admin-auth.replies';
import {
  AdminSuspensionSchema,
  AdminCreateIntegrationSchema,
  AdminUpdateIntegrationSchema,
} from '../../apps/gateway/src/integrations/integration-request.schemas';

/**
 * apps/gateway/src/openapi/openapi.json (served at /admin/docs) is generated from the schemas the
 * code validates with: the internal contracts of libs/contracts (queries, integration JSON, history,
 * settings, ACL tree, error body) and the gateway's own admin shapes (sign-in, activation replies).
 * Bodies a client sends are documented as zod parses them (`io: input`), answers as they leave the
 * gateway (`io: output`). The prose lives here, one entry per operation; a stale document fails
 * `tools/docs/openapi.spec.ts`.
 *
 *   node -r @swc-node/register tools/docs/openapi.ts     # rewrites the document
 */

type JsonSchema = Record<string, unknown>;

// The sign-in answers are built in the controller, not parsed: `npm run typecheck` fails when the
// documented schemas and what the handlers return drift apart.
type Answer<M> = M extends (...args: never[]) => infer R ? Awaited<R> : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _loginDocumented: Same<Answer<AdminAuthController['login']>, z.infer<typeof LoginReplySchema>> = true;
const _meDocumented: Same<Answer<AdminAuthController['me']>, z.infer<typeof MeReplySchema>> = true;
type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 423 | 429 | 502 | 503 | 504;

/** What each error status means on this API. Every error has the ErrorBody shape. */
export const ERROR_RESPONSES: Record<ErrorStatus, string> = {
  400: 'Invalid input (REQUEST.INVALID, REQUEST.INVALID_JSON, ADMIN.PASSWORD_REQUIRED, INTEGRATION.* validation codes); `details` lists the fields.',
  401: 'ADMIN.UNAUTHENTICATED (no, invalid, expired or revoked session: sign in again) or ADMIN.INVALID_CREDENTIALS (sign-in).',
  403: "ADMIN.FORBIDDEN: the signed-in admin's role does not allow this (`details.role`, `details.permission`; nothing was changed); ADMIN.PASSWORD_MISMATCH: currentPassword is wrong (counts toward the lockout); on sign-in, ADMIN.PASSWORD_CHANGE_REQUIRED: the generated bootstrap password must be replaced (send `newPassword`).",
  404: 'INTEGRATION.NOT_FOUND, ADMIN.NOT_FOUND.',
  409: 'INTEGRATION.NAME_TAKEN, INTEGRATION.CONFLICT (changed concurrently; reload and retry), INTEGRATION.CONFIG_MANAGED, INTEGRATION.ALREADY_ACTIVE, INTEGRATION.NOT_ACTIVE, INTEGRATION.ACTIVATION_MODE_CHANGED, CONFIG.CONFLICT, ADMIN.SELF_CHANGE (an administrator changing their own account) or ADMIN.LAST_ADMINISTRATOR (the change would leave no enabled administrator).',
  413: 'REQUEST.TOO_LARGE: the body exceeds the limit.',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE: send application/json.',
  422: 'OAUTH.CALLBACK_ADDRESS_REFUSED: the callback URL points at a loopback, private, link-local or metadata address not on the allow-list (oauth/consumer/outbound_allowlist).',
  423: 'ADMIN.LOCKED: too many failed passwords; `details.lockedUntil` says until when. A lock during a session also ends the session.',
  429: 'REQUEST.RATE_LIMITED: too many sign-ins from this address or for this account (GATEWAY_RATE_LIMIT_*); the `Retry-After` header and `details.retryAfterSeconds` say when to try again.',
  502: 'UPSTREAM.BAD_RESPONSE: the registry (or the oauth, acl or config service) answered something unexpected, or an answer that breaks its contract.',
  503: 'UPSTREAM.UNAVAILABLE: the registry (or the oauth, acl or config service) cannot be reached; nothing was changed.',
  504: 'UPSTREAM.TIMEOUT: the registry (or the oauth, acl or config service) did not answer in time (a change may or may not have been applied).',
};

/** Component schemas, each named once: bodies are documented as parsed, answers as sent. */
class SchemaComponents {
  private readonly requests = z.registry<{ id: string }>();
  private readonly replies = z.registry<{ id: string }>();

  request(id: string, schema: z.ZodType): { $ref: string } {
    this.requests.add(schema, { id });
    return ref(id);
  }

  reply(id: string, schema: z.ZodType): { $ref: string } {
    this.replies.add(schema, { id });
    return ref(id);
  }

  build(): Record<string, JsonSchema> {
    const uri = (id: string) => `#/components/schemas/${id}`;
    const requests = z.toJSONSchema(this.requests, { io: 'input', uri, unrepresentable: 'any' }).schemas;
    const replies = z.toJSONSchema(this.replies, { io: 'output', uri, unrepresentable: 'any' }).schemas;
    const all: Record<string, JsonSchema> = {};
    for (const [id, schema] of [...Object.entries(requests), ...Object.entries(replies)]) {
      const tidy = tidySchema(schema) as JsonSchema;
      if (all[id] && JSON.stringify(all[id]) !== JSON.stringify(tidy))
        throw new Error(`schema ${id} differs between requests and replies: give them two names`);
      all[id] = tidy;
    }
    return Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  }
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/**
 * What zod adds that a reader does not need: `$schema`/`$id` per component, the page of regex
 * behind `format: date-time` and `uuid` (the format says it), JavaScript's safe-integer bounds,
 * and `propertyNames: {type: string}` (JSON keys are strings).
 */
function tidySchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidySchema);
  if (typeof node !== 'object' || node === null) return node;
  const object: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === '$id') continue;
    if (key === 'pattern' && ['date-time', 'uuid'].includes((node as JsonSchema).format as string)) continue;
    if (
      (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) ||
      (key === 'minimum' && value === -Number.MAX_SAFE_INTEGER)
    )
      continue;
    if (key === 'propertyNames' && JSON.stringify(value) === '{"type":"string"}') continue;
    object[key] = tidySchema(value);
  }
  return object;
}

/** One schema on its own (a parameter's), as the code reads it. */
function inline(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return tidySchema(z.toJSONSchema(schema, { io, unrepresentable: 'any' })) as JsonSchema;
}

/** The parameters of a query schema, one per key, described as parsed (integers, defaults). */
function queryParameters(schema: z.ZodObject): JsonSchema[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { description, ...parameterSchema } = inline(field as z.ZodType, 'output');
    return {
      name,
      in: 'query',
      ...(description ? { description } : {}),
      ...((field as z.ZodType).safeParse(undefined).success ? {} : { required: true }),
      schema: parameterSchema,
    };
  });
}

const json = (schema: { $ref: string }) => ({ 'application/json': { schema } });
const body = (schema: { $ref: string }) => ({ required: true, content: json(schema) });
const errors = (...statuses: ErrorStatus[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/E${status}` }]));
const UPSTREAM: ErrorStatus[] = [502, 503, 504];

const ACTIVATION_DESCRIPTION =
  'Without token exchange (callback URL or identity link URL empty, as in Magento) the integration is active at once and the reply carries the four credentials: the only time they are shown. With both URLs set, the consumer key and secret and a verifier are POSTed (form) to the callback URL first, then the reply carries the identity link to open; the integration becomes active when the partner completes /oauth/token/access.';

export function buildOpenApi(): Record<string, unknown> {
  const schemas = new SchemaComponents();
  schemas.reply('IntegrationStatus', IntegrationViewStatusSchema);
  schemas.reply('AclResource', AclResourceTreeNodeSchema);
  schemas.reply('HistoryEntry', IntegrationHistoryEntrySchema);
  schemas.reply('ErrorBody', ErrorBodySchema);
  const integration = schemas.reply('Integration', IntegrationJsonSchema);
  schemas.reply('IntegrationGridItem', IntegrationGridItemSchema);

  const activation = (summary: string, refusal: string) => ({
    tags: ['integrations'],
    summary,
    description: `${ACTIVATION_DESCRIPTION} ${refusal} Replies are sent with Cache-Control: no-store.`,
    requestBody: body(schemas.request('PasswordConfirmation', PasswordConfirmationSchema)),
    responses: {
      '200': {
        description: 'No token exchange: the integration is active; here are its credentials.',
        content: json(schemas.reply('IssuedTokens', ActivationTokensReplySchema)),
      },
      '202': {
        description: 'Token exchange started: credentials POSTed to the callback URL; open identityLinkUrl.',
        content: json(schemas.reply('ExchangeStarted', ActivationExchangeReplySchema)),
      },
      ...errors(400, 401, 403, 404, 409, 413, 415, 422, 423, ...UPSTREAM),
    },
  });
  const integrationId = [{ $ref: '#/components/parameters/IntegrationId' }];
  const ifMatch = { $ref: '#/components/parameters/IfMatch' };

  const paths = {
    '/admin/v1/auth/login': {
      post: {
        tags: ['auth'],
        operationId: 'login',
        security: [],
        summary: 'Sign in; returns a session token.',
        description:
          'After 6 failed passwords (sign-ins or currentPassword checks) within 30 minutes the account is locked for 30 minutes (configurable). Unknown user and wrong password get the same answer.',
        requestBody: body(schemas.request('LoginRequest', loginBody)),
        responses: {
          '200': { description: 'Signed in.', content: json(schemas.reply('LoginResponse', LoginReplySchema)) },
          ...errors(400, 401, 403, 413, 415, 429),
        },
      },
    },
    '/admin/v1/auth/logout': {
      post: {
        tags: ['auth'],
        operationId: 'logout',
        summary: 'Ends the session; the token stops working.',
        responses: { '204': { description: 'Signed out.' }, ...errors(401) },
      },
    },
    '/admin/v1/auth/me': {
      get: {
        tags: ['auth'],
        operationId: 'me',
        summary:
          'The signed-in admin: role, what it allows, interface locale, and when the session expires (it slides with use).',
        responses: {
          '200': { description: 'The session.', content: json(schemas.reply('Me', MeReplySchema)) },
          ...errors(401),
        },
      },
      patch: {
        tags: ['auth'],
        operationId: 'changeProfile',
        summary: "The signed-in admin's own interface locale (Magento's Interface Locale), kept on the account.",
        requestBody: body(schemas.request('ProfileChange', ProfileChangeSchema)),
        responses: {
          '200': { description: 'Changed.', content: json(ref('Me')) },
          ...errors(400, 401, 413, 415),
        },
      },
    },
    '/admin/v1/integrations': {
      get: {
        tags: ['integrations'],
        operationId: 'listIntegrations',
        summary: 'The integrations grid: filter, sort, page.',
        description:
          "Unknown query parameters are refused. Read-your-writes: right after this session's own change the page already shows it; if the registry could not catch up in time the answer carries `x-read-your-writes: timeout`.",
        parameters: queryParameters(IntegrationListFiltersSchema),
        responses: {
          '200': {
            description: 'One page of the grid.',
            content: json(schemas.reply('IntegrationPage', IntegrationListPageSchema)),
            headers: { [InternalHeaders.readYourWrites]: { $ref: '#/components/headers/ReadYourWrites' } },
          },
          ...errors(400, 401, ...UPSTREAM),
        },
      },
      post: {
        tags: ['integrations'],
        operationId: 'createIntegration',
        summary: 'Creates an integration (status inactive).',
        requestBody: body(schemas.request('IntegrationChange', AdminCreateIntegrationSchema)),
        responses: {
          '201': {
            description: 'Created.',
            content: json(integration),
            headers: { Location: { schema: { type: 'string' }, description: 'Path of the new integration.' } },
          },
          ...errors(400, 401, 403, 409, 413, 415, 423, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/integrations/{id}': {
      parameters: integrationId,
      get: {
        tags: ['integrations'],
        operationId: 'getIntegration',
        summary: 'One integration.',
        responses: {
          '200': { description: 'The integration.', content: json(integration) },
          ...errors(400, 401, 404, ...UPSTREAM),
        },
      },
      put: {
        tags: ['integrations'],
        operationId: 'updateIntegration',
        summary: 'Replaces the editable fields (same body as create, plus optional expectedVersion).',
        parameters: [ifMatch],
        requestBody: body(schemas.request('IntegrationUpdate', AdminUpdateIntegrationSchema)),
        responses: {
          '200': { description: 'Updated.', content: json(integration) },
          ...errors(400, 401, 403, 404, 409, 413, 415, 423, ...UPSTREAM),
        },
      },
      delete: {
        tags: ['integrations'],
        operationId: 'deleteIntegration',
        summary: 'Deletes the integration; its name becomes free. No password needed (as in Magento).',
        parameters: [ifMatch, ...queryParameters(DeleteIntegrationQuerySchema)],
        responses: {
          '200': { description: 'Deleted.', content: json(schemas.reply('Deleted', IntegrationDeletedReplySchema)) },
          ...errors(400, 401, 403, 404, 409, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/integrations/{id}/history': {
      parameters: integrationId,
      get: {
        tags: ['integrations'],
        operationId: 'integrationHistory',
        summary: 'Every change of the integration, with the admin who made it (stays readable after a delete).',
        parameters: queryParameters(IntegrationHistoryQuerySchema),
        responses: {
          '200': {
            description: 'The history, newest first.',
            content: json(schemas.reply('History', IntegrationHistoryPageSchema)),
          },
          ...errors(400, 401, 404, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/integrations/{id}/usage': {
      parameters: integrationId,
      get: {
        tags: ['integrations'],
        operationId: 'integrationUsage',
        summary: 'Calls per UTC day over the last `days` (1-30, default 30), the last call, refused calls by reason.',
        parameters: queryParameters(IntegrationUsageQuerySchema),
        responses: {
          '200': {
            description: 'The usage (may lag the calls by GATEWAY_USAGE_FLUSH_MS).',
            content: json(schemas.reply('IntegrationUsage', IntegrationUsageSchema)),
          },
          ...errors(400, 401, 404, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/integrations/{id}/details': {
      parameters: integrationId,
      get: {
        tags: ['integrations'],
        operationId: 'integrationDetails',
        summary:
          "Integration Details (Magento's fieldset on the Edit page) without the secrets, which are shown once when issued: the consumer key in full, the access token's last 4 characters, when each was issued and last used.",
        responses: {
          '200': {
            description: '`consumer: null` when the integration has no credentials (never activated, or reset).',
            content: json(schemas.reply('IntegrationDetails', CredentialDetailsReplySchema)),
          },
          ...errors(400, 401, 404, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/integrations/{id}/consumer-secret/rotate': {
      parameters: integrationId,
      post: {
        tags: ['integrations'],
        operationId: 'rotateConsumerSecret',
        summary: 'Rotate consumer secret: a new secret for an active integration; the key and the tokens stay.',
        description:
          'Needs `currentPassword` (counted toward the lockout) and `integrations:write`. Without a token exchange the new secret is in the reply, the one time it is shown; with one it is POSTed to the callback URL (as at activation, without a verifier). The previous secret keeps signing for `oauth/consumer/secret_rotation_overlap` seconds (default 0: it stops at once). Replies are sent with Cache-Control: no-store.',
        requestBody: body(schemas.request('PasswordConfirmation', PasswordConfirmationSchema)),
        responses: {
          '200': {
            description: '`mode: tokens` with `consumerSecret`, or `mode: exchange` (sent to the callback URL).',
            content: json(schemas.reply('RotatedConsumerSecret', RotateConsumerSecretReplySchema)),
          },
          ...errors(400, 401, 403, 404, 409, 413, 415, 422, 423, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/integrations/{id}/activate': {
      parameters: integrationId,
      post: {
        operationId: 'activateIntegration',
        ...activation(
          "Activate: issue OAuth credentials (Magento's Activate).",
          'An active integration answers 409 INTEGRATION.ALREADY_ACTIVE: use Reauthorize. A Reset integration runs the reauthorize flow.',
        ),
      },
    },
    '/admin/v1/integrations/{id}/reauthorize': {
      parameters: integrationId,
      post: {
        operationId: 'reauthorizeIntegration',
        ...activation(
          "Reauthorize: rotate the access token; the consumer key and secret stay (Magento's Reauthorize).",
          'An inactive integration answers 409 INTEGRATION.NOT_ACTIVE: use Activate.',
        ),
      },
    },
    '/admin/v1/integrations/{id}/suspend': {
      parameters: integrationId,
      post: {
        tags: ['integrations'],
        operationId: 'suspendIntegration',
        summary:
          "Suspend: every signed or bearer call of the integration is refused (401) from the reply on, on every gateway; its consumer, tokens and status are kept. Needs the admin's password. Suspending a suspended integration changes nothing.",
        parameters: [ifMatch],
        requestBody: body(schemas.request('IntegrationSuspension', AdminSuspensionSchema)),
        responses: {
          '200': { description: 'The integration, suspended.', content: json(integration) },
          ...errors(400, 401, 403, 404, 409, 413, 415, 423, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/integrations/{id}/resume': {
      parameters: integrationId,
      post: {
        tags: ['integrations'],
        operationId: 'resumeIntegration',
        summary:
          "Resume: the same credentials work again. Needs the admin's password. Resuming an integration that is not suspended changes nothing.",
        parameters: [ifMatch],
        requestBody: body(schemas.request('IntegrationSuspension', AdminSuspensionSchema)),
        responses: {
          '200': { description: 'The integration, resumed.', content: json(integration) },
          ...errors(400, 401, 403, 404, 409, 413, 415, 423, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/acl/resources': {
      get: {
        tags: ['acl'],
        operationId: 'aclResources',
        summary: 'The ACL resource tree (children of Magento_Backend::admin) to choose Custom resources from.',
        responses: {
          '200': {
            description: 'The tree, siblings sorted by sortOrder.',
            content: json(schemas.reply('AclResources', AclResourcesReplySchema)),
          },
          ...errors(401, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/config': {
      get: {
        tags: ['config'],
        operationId: 'getSettings',
        summary: 'Every setting (Magento-style path) with its declaration and current value.',
        responses: {
          '200': {
            description: 'The settings and their version.',
            content: json(schemas.reply('Settings', SettingsViewSchema)),
          },
          ...errors(401, 403, ...UPSTREAM),
        },
      },
      put: {
        tags: ['config'],
        operationId: 'changeSettings',
        summary:
          'Sets the given settings, all or none (e.g. webapi/webapisecurity/allow_insecure, oauth/consumer/expiration_period).',
        description:
          'Out-of-range or mistyped values are refused with 400 and the allowed range. Every service applies a change within about a second. ' +
          "Security settings (guest access, Bearer tokens, HMAC-SHA1, the outbound allow-list, the consumer secret overlap) are for administrators only (403 ADMIN.FORBIDDEN otherwise) and also need the admin's own password in `currentPassword` (403 when wrong, 423 when the account gets locked); the change is recorded with the admin who made it.",
        requestBody: body(
          schemas.request(
            'SettingsChange',
            ChangeSettingsRequestSchema.extend({ currentPassword: z.string().max(1024).optional() }),
          ),
        ),
        responses: {
          '200': { description: 'Changed: every setting with the new version.', content: json(ref('Settings')) },
          ...errors(400, 401, 403, 409, 413, 415, 423, ...UPSTREAM),
        },
      },
    },
    '/admin/v1/admins': {
      get: {
        tags: ['admins'],
        operationId: 'listAdmins',
        summary: 'Every admin account with its role and state (administrators only).',
        responses: {
          '200': {
            description: 'The accounts, by username.',
            content: json(schemas.reply('AdminAccounts', AdminAccountListSchema)),
          },
          ...errors(401, 403),
        },
      },
    },
    '/admin/v1/admins/{username}': {
      parameters: [{ name: 'username', in: 'path', required: true, schema: { type: 'string' } }],
      patch: {
        tags: ['admins'],
        operationId: 'changeAdmin',
        summary: "Changes another admin's role, disables or enables the account (administrators only).",
        description:
          "Needs the administrator's own password in `currentPassword`. In force at the admin's next request on every gateway replica; disabling also ends the account's sessions. Refused for one's own account (409 ADMIN.SELF_CHANGE) and when no enabled administrator would be left (409 ADMIN.LAST_ADMINISTRATOR). Recorded in the audit trail.",
        requestBody: body(schemas.request('AdminChange', ChangeAdminAccountSchema)),
        responses: {
          '200': {
            description: 'The account after the change.',
            content: json(schemas.reply('AdminAccount', AdminAccountJsonSchema)),
          },
          ...errors(400, 401, 403, 404, 409, 413, 415, 423),
        },
      },
    },
    '/admin/v1/admins/audit': {
      get: {
        tags: ['admins'],
        operationId: 'adminAudit',
        summary: 'Who changed which admin account, when and how (administrators only), newest first.',
        parameters: queryParameters(AdminAuditQuerySchema),
        responses: {
          '200': {
            description: 'One page of the trail.',
            content: json(schemas.reply('AdminAudit', AdminAuditPageSchema)),
          },
          ...errors(400, 401, 403),
        },
      },
    },
  };

  const { description: ifMatchDescription, ...ifMatchSchema } = inline(IfMatchSchema, 'input');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Integrations platform: admin API',
      version: '1.0.0',
      description: [
        'Admin API of the gateway (System > Extensions > Integrations). Sign in with POST /admin/v1/auth/login, then send `Authorization: Bearer <accessToken>`.',
        "Changes (create, update, activate, reauthorize) need the admin's own password in `currentPassword`.",
        'What an admin may call depends on the role (administrator, integrations-manager, viewer: see `GET /admin/v1/auth/me`); a refusal is 403 ADMIN.FORBIDDEN and changes nothing.',
        'Every error is `{error: {code, message, details?}}` with a stable code. Request bodies are limited to 64 KiB by default (413 REQUEST.TOO_LARGE).',
        'Generated from libs/contracts and the gateway by tools/docs/openapi.ts; do not edit by hand.',
      ].join(' '),
    },
    servers: [{ url: 'http://127.0.0.1:8080' }],
    security: [{ adminSession: [] }],
    tags: [{ name: 'auth' }, { name: 'integrations' }, { name: 'acl' }, { name: 'config' }, { name: 'admins' }],
    paths,
    components: {
      securitySchemes: {
        adminSession: { type: 'http', scheme: 'bearer', description: 'accessToken from POST /admin/v1/auth/login.' },
      },
      parameters: {
        IntegrationId: { name: 'id', in: 'path', required: true, schema: inline(IntegrationUuidSchema, 'input') },
        IfMatch: { name: 'If-Match', in: 'header', description: ifMatchDescription, schema: ifMatchSchema },
      },
      headers: {
        ReadYourWrites: {
          description: '`timeout` when the page may not yet show your latest change.',
          schema: { type: 'string', enum: ['timeout'] },
        },
      },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([status, description]) => [
          `E${status}`,
          { description, content: json(ref('ErrorBody')) },
        ]),
      ),
      schemas: schemas.build(),
    },
  };
}

/** The document as committed: two-space JSON, one trailing newline (.prettierignore lists the file). */
export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
}

export const OPENAPI_FILE = join(__dirname, '../../apps/gateway/src/openapi/openapi.json');

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
