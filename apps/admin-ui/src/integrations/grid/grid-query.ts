import type { GridStatus, IntegrationQuery, IntegrationSort } from '../../api/types';

/** The grid's filters, sort and page live in the URL: reload, back and shared links keep them. */
export const PAGE_SIZES = [20, 30, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 20;

const STATUSES: GridStatus[] = ['active', 'inactive', 'reset', 'suspended', 'expired'];
const SORTS: IntegrationSort[] = [
  'name',
  '-name',
  'status',
  '-status',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
];

export interface GridQuery {
  name: string;
  status: GridStatus | '';
  sort: IntegrationSort | '';
  page: number;
  pageSize: number;
}

export function readGridQuery(search: URLSearchParams): GridQuery {
  const status = search.get('status') ?? '';
  const sort = search.get('sort') ?? '';
  const page = Number(search.get('page'));
  const pageSize = Number(search.get('pageSize'));
  return {
    name: search.get('name') ?? '',
    status: (STATUSES as string[]).includes(status) ? (status as GridStatus) : '',
    sort: (SORTS as string[]).includes(sort) ? (sort as IntegrationSort) : '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

export function gridSearch(query: GridQuery): string {
  const params = new URLSearchParams();
  if (query.name) params.set('name', query.name);
  if (query.status) params.set('status', query.status);
  if (query.sort) params.set('sort', query.sort);
  if (query.page > 1) params.set('page', String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function toApiQuery(query: GridQuery): IntegrationQuery {
  return {
    name: query.name || undefined,
    status: query.status || undefined,
    sort: query.sort || undefined,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export type SortField = 'name' | 'status' | 'createdAt' | 'updatedAt';

// Dates open newest first: that is what an admin looks for ("what changed lately"); text columns A to Z.
const DESCENDING_FIRST: readonly SortField[] = ['createdAt', 'updatedAt'];

/** Clicking a column: its first direction (A to Z, or newest first for dates), then the other one. */
export function nextSort(current: GridQuery['sort'], field: SortField): IntegrationSort {
  const ascending = field as IntegrationSort;
  const descending = `-${field}` as IntegrationSort;
  if (current === ascending) return descending;
  if (current === descending) return ascending;
  return DESCENDING_FIRST.includes(field) ? descending : ascending;
}

export function sortDirection(current: GridQuery['sort'], field: string): 'ascending' | 'descending' | 'none' {
  if (current === field) return 'ascending';
  if (current === `-${field}`) return 'descending';
  return 'none';
}
