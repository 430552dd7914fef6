import { useEffect, useState } from 'react';
import { ApiError, GENERIC_ERROR } from '../../api/api-client';
import { integrationsApi } from '../../api/admin-api';
import type { HistoryEntry, Integration, Page } from '../../api/types';
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
        setError(
          e instanceof ApiError && e.status === 404
            ? 'This integration no longer exists.'
            : e instanceof ApiError
              ? e.message
              : GENERIC_ERROR,
        );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, page]);

  const name = integration?.name ?? history?.items.find((e) => typeof e.changes.name === 'string')?.changes.name;
  const pages = history ? Math.max(1, Math.ceil(history.total / history.pageSize)) : 1;

  return (
    <section className="history-page">
      <div className="page-header">
        <h1 className="page-title">History{name ? ` of "${String(name)}"` : ''}</h1>
        <div className="page-actions">
          <Link to="/" className="button button-secondary">
            Back
          </Link>
          {integration && (
            <Link to={`/integrations/${encodeURIComponent(id)}`} className="button button-secondary">
              {integration.setupType === 'config' ? 'View' : 'Edit'}
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
            <caption className="visually-hidden">Changes, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {history.items.length === 0 && (
                <tr className="grid-empty">
                  <td colSpan={4}>We couldn't find any records.</td>
                </tr>
              )}
              {history.items.map((entry) => (
                <tr key={entry.version}>
                  <td className="nowrap">
                    <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                  </td>
                  <td className="nowrap">{entry.actor ?? 'system'}</td>
                  <td className="nowrap">{describeEvent(entry.type)}</td>
                  <td>
                    <ul className="change-list">
                      {describeChanges(entry.changes).map((line) => (
                        <li key={line.label}>
                          {line.items ? (
                            <details>
                              <summary>
                                {line.label}: {line.value}
                              </summary>
                              <ul className="change-items">
                                {line.items.map((item) => (
                                  <li key={item}>{item}</li>
                                ))}
                              </ul>
                            </details>
                          ) : (
                            `${line.label}: ${line.value}`
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
        <nav className="pages" aria-label="History pages">
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            Newer
          </button>
          <span className="page-of">
            Page {page} of {pages}
          </span>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
          >
            Older
          </button>
        </nav>
      )}
    </section>
  );
}
