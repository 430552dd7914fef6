import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { configApi, integrationsApi } from '../../api/admin-api';
import type { Integration, Page } from '../../api/types';
import type { MessageId } from '../../i18n/catalogue';
import { errorText } from '../../i18n/api-errors';
import { useI18n } from '../../i18n/use-i18n';
import { useNotices } from '../../layout/notices';
import { ReadOnlyNote, useAdminProfile } from '../../session/admin-profile';
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
const EXPIRY_WARNING_SETTING = 'integrations/expiry/warning_days';
const DEFAULT_EXPIRY_WARNING_DAYS = 7;

/** System > Extensions > Integrations: the grid. */
export function IntegrationsGridPage() {
  const location = useLocation();
  const query = readGridQuery(location.search);
  const queryKey = gridSearch(query);
  const { notify } = useNotices();
  const { t, intl } = useI18n();
  const mayChange = useAdminProfile().can('integrations:write');
  const [data, setData] = useState<Page<Integration> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [nameFilter, setNameFilter] = useState(query.name);
  const [statusFilter, setStatusFilter] = useState(query.status);
  const [deleting, setDeleting] = useState<Integration | null>(null);
  const [expiryWarningDays, setExpiryWarningDays] = useState(DEFAULT_EXPIRY_WARNING_DAYS);

  // The warning window is a setting; until it is read (or if it cannot be), the catalogue's default.
  useEffect(() => {
    let cancelled = false;
    configApi.get().then(
      (view) => {
        const days = view.values[EXPIRY_WARNING_SETTING];
        if (!cancelled && typeof days === 'number') setExpiryWarningDays(days);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, []);

  // Rows known to be newer than the list (an activation the partner completed: the list is a
  // projection that may lag behind a write made outside this admin's session). Shown instead of an
  // older version of the same row until the list catches up.
  const [newer, setNewer] = useState<ReadonlyMap<string, Integration>>(new Map());
  const reload = useCallback((latest?: Integration) => {
    if (latest) setNewer((current) => new Map(current).set(latest.id, latest));
    setReloads((n) => n + 1);
    refreshSystemMessages(); // an activation may clear the "reset" message
  }, []);
  const shown = (integration: Integration) => {
    const fresher = newer.get(integration.id);
    return fresher && fresher.version > integration.version ? { ...integration, ...fresher } : integration;
  };
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
        if (!cancelled) setLoadError(errorText(intl, error));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
    // The interface locale is not a reason to reload: `intl` only words a failure.
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

  const sortHeader = (field: SortField, label: MessageId) => {
    const direction = sortDirection(query.sort, field);
    return (
      <th scope="col" aria-sort={direction}>
        <button
          type="button"
          className="sort-button"
          onClick={() => go({ sort: nextSort(query.sort, field), page: 1 })}
        >
          {t(label)}
          <SortIcon direction={direction} />
          <span className="visually-hidden">{t(`grid.sort.${direction === 'none' ? 'none' : direction}`)}</span>
        </button>
      </th>
    );
  };

  return (
    <section className="grid-page">
      <div className="page-header">
        <h1 className="page-title">{t('integrations.title')}</h1>
        {mayChange && (
          <Link to="/integrations/new" className="button button-primary">
            {t('grid.add')}
          </Link>
        )}
      </div>
      {!mayChange && <ReadOnlyNote id="role.readOnlyIntegrations" />}

      <form className="grid-filters" onSubmit={search} role="search" aria-label={t('grid.filters')}>
        <div className="filter">
          <label htmlFor="filter-name">{t('grid.filter.name')}</label>
          <input
            id="filter-name"
            className="input"
            value={nameFilter}
            onChange={(e) => setNameFilter(e.target.value)}
          />
        </div>
        <div className="filter">
          <label htmlFor="filter-status">{t('grid.filter.status')}</label>
          <select
            id="filter-status"
            className="select"
            value={statusFilter}
            onChange={(e) => setStatusFilter(e.target.value as GridQuery['status'])}
          >
            <option value="">{t('grid.filter.any')}</option>
            <option value="active">{t('status.active')}</option>
            <option value="inactive">{t('status.inactive')}</option>
            <option value="reset">{t('status.reset')}</option>
            <option value="suspended">{t('status.suspended')}</option>
            <option value="expired">{t('status.expired')}</option>
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button button-primary">
            {t('grid.search')}
          </button>
          <button type="button" className="button button-secondary" onClick={resetFilter}>
            {t('grid.resetFilter')}
          </button>
        </div>
      </form>

      {loadError && (
        <p className="notice notice-error" role="alert">
          {loadError}{' '}
          <button type="button" className="button-link" onClick={() => reload()}>
            {t('common.tryAgain')}
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
            {data ? t('grid.caption', { count: data.total }) : t('integrations.title')}
          </caption>
          <thead>
            <tr>
              {sortHeader('name', 'grid.column.name')}
              {sortHeader('status', 'grid.column.status')}
              {sortHeader('createdAt', 'grid.column.created')}
              {sortHeader('updatedAt', 'grid.column.updated')}
              <th scope="col">{t('grid.column.lastUsed')}</th>
              <th scope="col">{t('grid.column.activate')}</th>
              <th scope="col">{t('grid.column.edit')}</th>
              <th scope="col">{t('grid.column.delete')}</th>
            </tr>
          </thead>
          <tbody>
            {data && data.items.length === 0 && !loading && (
              <tr className="grid-empty">
                <td colSpan={COLUMNS}>{t('grid.empty')}</td>
              </tr>
            )}
            {data?.items.map(shown).map((integration) => (
              <IntegrationRow
                key={integration.id}
                integration={integration}
                expiryWarningDays={expiryWarningDays}
                onActivate={(reauthorize) => activation.start(integration, { reauthorize })}
                onDelete={() => setDeleting(integration)}
                mayChange={mayChange}
              />
            ))}
            {!data && loading && (
              <tr>
                <td colSpan={COLUMNS} className="grid-loading">
                  {t('common.loading')}
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
            notify('success', t('integration.deleted', { name: deleting.name }));
            setDeleting(null);
            reload();
          }}
          onGone={() => {
            notify('error', t('integration.gone'));
            setDeleting(null);
            reload();
          }}
          onChanged={() => {
            notify('error', t('grid.deleteConflict', { name: deleting.name }));
            setDeleting(null);
            reload();
          }}
        />
      )}
      {activation.dialogs}
    </section>
  );
}
