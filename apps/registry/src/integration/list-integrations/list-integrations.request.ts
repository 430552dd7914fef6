import { z } from 'zod';
import { GRID_SORT_FIELDS, type GridQuery } from '../integration-grid.projection';

const SORTS = GRID_SORT_FIELDS.flatMap((field) => [field, `-${field}`]) as [string, ...string[]];

const positiveInt = (label: string, max?: number) => {
  const base = z.coerce
    .number({ error: `${label} must be a whole number.` })
    .int({ error: `${label} must be a whole number.` })
    .min(1, { error: `${label} must be at least 1.` });
  return max ? base.max(max, { error: `${label} must be at most ${max}.` }) : base;
};

/** GET /integrations query string. Unknown parameters are refused, like unknown body fields. */
export const listIntegrationsRequest = z
  .object({
    name: z
      .string({ error: 'name must be given once.' })
      .max(255, { error: 'name filter is at most 255 characters.' })
      .optional(),
    status: z
      .enum(['inactive', 'active', 'reset'], { error: 'status must be one of inactive, active, reset.' })
      .optional(),
    /** `config` + `status=reset` is the admin notice "integrations have been reset" (Magento's RecreatedIntegration). */
    setupType: z.enum(['manual', 'config'], { error: 'setupType must be one of manual, config.' }).optional(),
    sort: z.enum(SORTS, { error: `sort must be one of ${SORTS.join(', ')}.` }).default('createdAt'),
    page: positiveInt('page').default(1),
    pageSize: positiveInt('pageSize', 200).default(20),
    /** Read-your-writes: wait until integration `minVersionId` is projected at `minVersion` or later. */
    minVersion: positiveInt('minVersion').optional(),
    minVersionId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'minVersionId must be an integration id.' })
      .optional(),
  })
  .strict()
  .refine((q) => (q.minVersion === undefined) === (q.minVersionId === undefined), {
    error: 'minVersion and minVersionId go together: pass both or neither.',
    path: ['minVersion'],
  });

export function toGridQuery(input: z.output<typeof listIntegrationsRequest>): GridQuery {
  const descending = input.sort.startsWith('-');
  const field = (descending ? input.sort.slice(1) : input.sort) as GridQuery['sort']['field'];
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.setupType !== undefined ? { setupType: input.setupType } : {}),
    sort: { field, direction: descending ? -1 : 1 },
    page: input.page,
    pageSize: input.pageSize,
  };
}
