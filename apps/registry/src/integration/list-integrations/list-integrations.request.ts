import { INTEGRATION_SORT_FIELDS, type ListIntegrationsQuery } from '@integrations/contracts';
import type { GridQuery } from '../integration-grid.projection';

// Every sort the contract offers is one the grid can do (a compile error otherwise).
const _sortable: readonly GridQuery['sort']['field'][] = INTEGRATION_SORT_FIELDS;

/** `GET /integrations` (ListIntegrationsQuerySchema, libs/contracts) as the grid projection's query. */
export function toGridQuery(input: ListIntegrationsQuery): GridQuery {
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
