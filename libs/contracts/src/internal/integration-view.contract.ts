import { z } from 'zod';
import { RateLimit, ResourceAccess, SetupType } from '../integration/integration-fields';
import { IntegrationVersionSchema } from './integration-change.contract';
import { queryInteger, queryText } from './query-string';

/**
 * The registry's integration queries and command replies (registry -> gateway). Replies are plain
 * objects, not strict ones: a caller keeps the fields it knows and drops the rest, so the registry
 * can add a field before every caller knows it (the gateway never passes on a field the contract
 * does not name).
 */

/** Integration ids are UUIDs the registry generated. */
export const IntegrationUuidSchema = z.guid();

/** The status of an integration that exists (a deleted one is gone from every view but its history). */
export const IntegrationViewStatusSchema = z.enum(['inactive', 'active', 'reset']);
export type IntegrationViewStatus = z.infer<typeof IntegrationViewStatusSchema>;

/**
 * What the grid's Status column shows, and its filter: `suspended` first, then `expired`, then the
 * activation status. The activation status stays in `status` (what Activate/Reauthorize go by).
 */
export const IntegrationGridStatusSchema = z.enum([...IntegrationViewStatusSchema.options, 'suspended', 'expired']);
export type IntegrationGridStatus = z.infer<typeof IntegrationGridStatusSchema>;

/** The integration JSON: `GET /integrations/{id}` and the reply of every command on one. */
export const IntegrationJsonSchema = z.object({
  id: IntegrationUuidSchema,
  name: z.string(),
  email: z.string().nullable(),
  callbackUrl: z.string().nullable(),
  identityLinkUrl: z.string().nullable(),
  status: IntegrationViewStatusSchema,
  setupType: SetupType.meta({
    description: '`config`: from the declarative manifest (read-only in the admin); `manual`: created in the admin.',
  }),
  resourceAccess: ResourceAccess,
  /** [] for `all`. */
  resources: z.array(z.string()),
  insecure: z.boolean().meta({ description: 'A URL starts with http: (Magento: "Integration not secure").' }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  // The controls (docs/adr/0010). Defaults, so that a gateway deployed before the registry that
  // sends them answers an integration without controls rather than a 502.
  suspended: z
    .boolean()
    .default(false)
    .meta({ description: 'Every call is refused until it is resumed; `status` is kept meanwhile.' }),
  expiresAt: z.iso
    .datetime()
    .nullable()
    .default(null)
    .meta({ description: 'Calls are refused from then on; null: never.' }),
  expired: z.boolean().default(false).meta({ description: '`expiresAt` has passed (as of this answer).' }),
  ipAllowList: z
    .array(z.string())
    .default([])
    .meta({ description: 'CIDR ranges the integration may call from; []: any address.' }),
  rateLimit: RateLimit.nullable()
    .default(null)
    .meta({ description: 'Its own limit; null: the platform default (`integrations/rate_limit/*`).' }),
  /** The stream version this view is of; send it back as If-Match to change the integration. */
  version: IntegrationVersionSchema,
});
export type IntegrationJson = z.infer<typeof IntegrationJsonSchema>;

/** A row of the grid: the integration plus when it last called the API (null until it did). */
export const IntegrationGridItemSchema = IntegrationJsonSchema.extend({
  lastUsedAt: z.iso.datetime().nullable(),
});
export type IntegrationGridItem = z.infer<typeof IntegrationGridItemSchema>;

export const INTEGRATION_SORT_FIELDS = ['name', 'status', 'createdAt', 'updatedAt'] as const;
export const INTEGRATION_SORTS = INTEGRATION_SORT_FIELDS.flatMap((field) => [field, `-${field}`] as const);
export const MAX_PAGE_SIZE = 200;
const MAX_PAGE = 1_000_000;

const page = queryInteger('page', { max: MAX_PAGE }).default(1);
const oneOf = (field: string, values: readonly string[]) => `${field} must be one of: ${values.join(', ')}`;

/**
 * The grid's filters, sort and page, as an admin asks for them (`GET /admin/v1/integrations`).
 * Unknown parameters are refused, like unknown body fields.
 */
export const IntegrationListFiltersSchema = z.strictObject({
  name: queryText('name', 255).optional().meta({ description: 'Case-insensitive "contains" filter on the name.' }),
  status: z
    .enum(IntegrationGridStatusSchema.options, { error: oneOf('status', IntegrationGridStatusSchema.options) })
    .optional()
    .meta({
      description:
        'As the Status column shows it: `suspended` and `expired` first; `active`, `inactive` and `reset` match only integrations that are neither.',
    }),
  // `setupType=config&status=reset` drives the admin notice about reset config integrations.
  setupType: z
    .enum(SetupType.options, { error: oneOf('setupType', SetupType.options) })
    .optional()
    .meta({
      description:
        '`config`: integrations from the declarative manifest; `manual`: created in the admin. With `status=reset&pageSize=1`, `total > 0` is Magento\'s notice "One or more integrations have been reset because of a change to their configuration".',
    }),
  sort: z
    .enum(INTEGRATION_SORTS, { error: oneOf('sort', INTEGRATION_SORTS) })
    .default('createdAt')
    .meta({ description: 'Field, with `-` for descending.' }),
  page,
  pageSize: queryInteger('pageSize', { max: MAX_PAGE_SIZE }).default(20),
});
export type IntegrationListFilters = z.output<typeof IntegrationListFiltersSchema>;

/**
 * `GET /integrations` (registry): the filters plus read-your-writes: wait until integration
 * `minVersionId` is projected at `minVersion` or later (the gateway sends the admin's last write).
 */
export const ListIntegrationsQuerySchema = IntegrationListFiltersSchema.extend({
  minVersion: queryInteger('minVersion').optional(),
  minVersionId: z
    .string({ error: 'minVersionId must be given once, as an integration id' })
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'minVersionId must be an integration id')
    .optional(),
}).refine((query) => (query.minVersion === undefined) === (query.minVersionId === undefined), {
  error: 'minVersion and minVersionId go together: pass both or neither.',
  path: ['minVersion'],
});
export type ListIntegrationsQuery = z.output<typeof ListIntegrationsQuerySchema>;

/** `GET /integrations` reply: one page of the grid. */
export const IntegrationListPageSchema = z.object({
  items: z.array(IntegrationGridItemSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});
export type IntegrationListPage = z.infer<typeof IntegrationListPageSchema>;

/** `GET /integrations/{id}` (registry): read-your-writes, wait until the stream is at `minVersion`. */
export const GetIntegrationQuerySchema = z.strictObject({ minVersion: queryInteger('minVersion').optional() });
export type GetIntegrationQuery = z.output<typeof GetIntegrationQuerySchema>;

/** `DELETE /integrations/{id}` reply: the version lets the admin's next read wait for the delete. */
export const IntegrationDeletedReplySchema = z.object({
  id: IntegrationUuidSchema,
  deleted: z.literal(true),
  version: IntegrationVersionSchema,
});
export type IntegrationDeletedReply = z.infer<typeof IntegrationDeletedReplySchema>;

/** `GET /integrations/{id}/history` (registry and admin API), newest first. */
export const IntegrationHistoryQuerySchema = z.strictObject({
  page,
  pageSize: queryInteger('pageSize', { max: MAX_PAGE_SIZE }).default(50),
});
export type IntegrationHistoryQuery = z.output<typeof IntegrationHistoryQuerySchema>;

export const IntegrationHistoryEntrySchema = z.object({
  version: IntegrationVersionSchema,
  /** The event type, e.g. IntegrationCreated. */
  type: z.string(),
  actor: z.string().nullable().meta({ description: 'Admin username (or system).' }),
  at: z.iso.datetime(),
  changes: z.record(z.string(), z.unknown()).meta({ description: 'The fields this event set or changed.' }),
});
export type IntegrationHistoryEntry = z.infer<typeof IntegrationHistoryEntrySchema>;

export const IntegrationHistoryPageSchema = z.object({
  integrationId: IntegrationUuidSchema,
  items: z.array(IntegrationHistoryEntrySchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});
export type IntegrationHistoryPage = z.infer<typeof IntegrationHistoryPageSchema>;
