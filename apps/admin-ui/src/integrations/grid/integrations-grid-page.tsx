import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, GENERIC_ERROR } from '../../api/api-client';
import { integrationsApi } from '../../api/admin-api';
import type { Integration, Page } from '../../api/types';
import { useNotices } from '../../layout/notices';
import { refreshSystemMessages } from '../../layout/system-messages';
import { Link, navigate, useLocation } from '../../routing/router';
import { SortIcon } from '../../ui/icons';
import { useActivation } from '../activation/use-activation';
import { DeleteIntegrationDialog } from './delete-integration-dialog';
import {
  gridSearch,
  type GridQuery,
  nextSort,
  readGridQuery,
  type SortField,
  sortDirection,
  toApiQuery,
} from './grid-query';
import { GridPager } from './grid-pager';
import { IntegrationRow } from './integration-row';

const COLUMNS = 8;

/** System > Extensions > Integrations: the grid. */
export function IntegrationsGridPage() {
  const location = useLocation();
  const query = readGridQuery(location.search);
  const queryKey = gridSearch(query);
  const { notify } = useNotices();
  const [data, setData] = useState<Page<Integration> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [nameFilter, setNameFilter] = useState(query.name);
  const [statusFilter, setStatusFilter] = useState(query.status);
  const [deleting, setDeleting] = useState<Integration | null>(null);

  const reload = useCallback(() => {
    setReloads((n) => n + 1);
    refreshSystemMessages(); // an activation may clear the "reset" message
  }, []);
  const activation = useActivation(reload);

  useEffect(() => {
    setNameFilter(query.name);
    setStatusFilter(query.status);
    // Only when the URL changes (back/forward, Reset Filter), not while the admin types.
  }, [query.name, query.status]);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    integrationsApi
      .list(toApiQuery(readGridQuery(new URLSearchParams(queryKey))))
      .then((page) => {
        if (cancelled) return;
        setData(page);
        setLoadError(null);
        // Past the last page (e.g. after deleting its only row): go to the last page there is.
        const last = Math.max(1, Math.ceil(page.total / page.pageSize));
        if (page.items.length === 0 && page.total > 0 && page.page > last) {
          navigate(`/${gridSearch({ ...readGridQuery(new URLSearchParams(queryKey)), page: last })}`, {
            replace: true,
          });
        }
      })
      .catch((error: unknown) => {
        if (!cancelled) setLoadError(error instanceof ApiError ? error.message : GENERIC_ERROR);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [queryKey, reloads]);

  const go = (next: Partial<GridQuery>) => navigate(`/${gridSearch({ ...query, ...next })}`);
  const search = (event?: FormEvent) => {
    event?.preventDefault();
    go({ name: nameFilter.trim(), status: statusFilter, page: 1 });
  };
  const resetFilter = () => {
    setNameFilter('');
    setStatusFilter('');
    go({ name: '', status: '', page: 1 });
  };

  const sortHeader = (field: SortField, label: string) => {
    const direction = sortDirection(query.sort, field);
    return (
      <th scope="col" aria-sort={direction}>
        <button
          type="button"
          className="sort-button"
          onClick={() => go({ sort: nextSort(query.sort, field), page: 1 })}
        >
          {label}
          <SortIcon direction={direction} />
          <span className="visually-hidden">
            {direction === 'none'
              ? ', sort'
              : direction === 'ascending'
                ? ', sorted ascending; sort descending'
                : ', sorted descending; sort ascending'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <section className="grid-page">
      <div className="page-header">
        <h1 className="page-title">Integrations</h1>
        <Link to="/integrations/new" className="button button-primary">
          Add New Integration
        </Link>
      </div>

      <form className="grid-filters" onSubmit={search} role="search" aria-label="Filter integrations">
        <div className="filter">
          <label htmlFor="filter-name">Name</label>
          <input
            id="filter-name"
            className="input"
            value={nameFilter}
            onChange={(e) => setNameFilter(e.target.value)}
          />
        </div>
        <div className="filter">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            className="select"
            value={statusFilter}
            onChange={(e) => setStatusFilter(e.target.value as GridQuery['status'])}
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
            <option value="reset">Reset</option>
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button button-primary">
            Search
          </button>
          <button type="button" className="button button-secondary" onClick={resetFilter}>
            Reset Filter
          </button>
        </div>
      </form>

      {loadError && (
        <p className="notice notice-error" role="alert">
          {loadError}{' '}
          <button type="button" className="button-link" onClick={reload}>
            Try again
          </button>
        </p>
      )}

      <GridPager
        total={data?.total ?? null}
        page={query.page}
        pageSize={query.pageSize}
        onPage={(page) => go({ page })}
        onPageSize={(pageSize) => go({ pageSize, page: 1 })}
      />

      <div className="table-wrap">
        <table className="data-grid" aria-busy={loading} aria-describedby="grid-caption">
          <caption id="grid-caption" className="visually-hidden">
            Integrations{data ? `, ${data.total} records found` : ''}
          </caption>
          <thead>
            <tr>
              {sortHeader('name', 'Name')}
              {sortHeader('status', 'Status')}
              {sortHeader('createdAt', 'Created')}
              {sortHeader('updatedAt', 'Updated')}
              <th scope="col">Last Used</th>
              <th scope="col">Activate</th>
              <th scope="col">Edit</th>
              <th scope="col">Delete</th>
            </tr>
          </thead>
          <tbody>
            {data && data.items.length === 0 && !loading && (
              <tr className="grid-empty">
                <td colSpan={COLUMNS}>We couldn't find any records.</td>
              </tr>
            )}
            {data?.items.map((integration) => (
              <IntegrationRow
                key={integration.id}
                integration={integration}
                onActivate={(reauthorize) => activation.start(integration, { reauthorize })}
                onDelete={() => setDeleting(integration)}
              />
            ))}
            {!data && loading && (
              <tr>
                <td colSpan={COLUMNS} className="grid-loading">
                  Loading…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      {deleting && (
        <DeleteIntegrationDialog
          integration={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            notify('success', `The integration '${deleting.name}' has been deleted.`);
            setDeleting(null);
            reload();
          }}
          onGone={() => {
            notify('error', 'This integration no longer exists.');
            setDeleting(null);
            reload();
          }}
          onChanged={() => {
            notify(
              'error',
              `The integration '${deleting.name}' was changed by someone else, so it was not deleted. ` +
                'The grid now shows it as it is; delete it again if you still want to.',
            );
            setDeleting(null);
            reload();
          }}
        />
      )}
      {activation.dialogs}
    </section>
  );
}
