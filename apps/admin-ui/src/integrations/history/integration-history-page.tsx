import { useEffect, useState } from 'react';
import { ApiError } from '../../api/api-client';
import { integrationsApi } from '../../api/admin-api';
import type { HistoryEntry, Integration, Page } from '../../api/types';
import { errorText } from '../../i18n/api-errors';
import { useI18n } from '../../i18n/use-i18n';
import { usePageTitle } from '../../layout/page-title';
import { Link } from '../../routing/router';
import { formatDateTime } from '../../ui/format';
import { describeChanges, describeEvent } from './history-text';

const PAGE_SIZE = 50;

/** Who did what to an integration, and when (newest first). Still readable after a delete. */
export function IntegrationHistoryPage({ id }: { id: string }) {
  const [integration, setIntegration] = useState<Integration | null>(null);
  const [history, setHistory] = useState<Page<HistoryEntry> | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const { t, intl } = useI18n();

  useEffect(() => {
    integrationsApi.get(id).then(setIntegration, () => setIntegration(null));
  }, [id]);

  useEffect(() => {
    let cancelled = false;
    integrationsApi.history(id, page, PAGE_SIZE).then(
      (result) => {
        if (!cancelled) setHistory(result);
      },
      (e: unknown) => {
        if (cancelled) return;
        setError(e instanceof ApiError && e.status === 404 ? t('integration.gone') : errorText(intl, e));
      },
    );
    return () => {
      cancelled = true;
    };
    // Loaded per page of history, not per locale.
  }, [id, page]);

  const name = integration?.name ?? history?.items.find((e) => typeof e.changes.name === 'string')?.changes.name;
  const pages = history ? Math.max(1, Math.ceil(history.total / history.pageSize)) : 1;
  const title = name ? t('history.titleOf', { name: String(name) }) : t('history.title');
  usePageTitle(title);

  return (
    <section className="history-page">
      <div className="page-header">
        <h1 className="page-title">{title}</h1>
        <div className="page-actions">
          <Link to="/" className="button button-secondary">
            {t('common.back')}
          </Link>
          {integration && (
            <Link to={`/integrations/${encodeURIComponent(id)}`} className="button button-secondary">
              {t(integration.setupType === 'config' ? 'row.view' : 'row.edit')}
            </Link>
          )}
        </div>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {history && (
        <div className="table-wrap">
          <table className="data-grid history-grid">
            <caption className="visually-hidden">{t('history.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('history.when')}</th>
                <th scope="col">{t('history.who')}</th>
                <th scope="col">{t('history.what')}</th>
                <th scope="col">{t('history.details')}</th>
              </tr>
            </thead>
            <tbody>
              {history.items.length === 0 && (
                <tr className="grid-empty">
                  <td colSpan={4}>{t('grid.empty')}</td>
                </tr>
              )}
              {history.items.map((entry) => (
                // A change and the attempts to notify its partner share a version.
                <tr key={`${entry.version}:${entry.type}:${entry.at}`}>
                  <td className="nowrap">
                    <time dateTime={entry.at}>{formatDateTime(intl, entry.at)}</time>
                  </td>
                  <td className="nowrap">{entry.actor ?? t('history.system')}</td>
                  <td className="nowrap">{describeEvent(t, entry.type)}</td>
                  <td>
                    <ul className="change-list">
                      {describeChanges(t, entry.changes).map((line) => (
                        <li key={line.label}>
                          {line.items ? (
                            <details>
                              <summary>{t('history.line', { label: line.label, value: line.value })}</summary>
                              <ul className="change-items">
                                {line.items.map((item) => (
                                  <li key={item}>{item}</li>
                                ))}
                              </ul>
                            </details>
                          ) : (
                            t('history.line', { label: line.label, value: line.value })
                          )}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {history && pages > 1 && (
        <nav className="pages" aria-label={t('history.pages')}>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            {t('history.newer')}
          </button>
          <span className="page-of">{t('history.pageOf', { page, pages })}</span>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
          >
            {t('history.older')}
          </button>
        </nav>
      )}
    </section>
  );
}
