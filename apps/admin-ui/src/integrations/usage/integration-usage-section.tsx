import { useCallback, useEffect, useState } from 'react';
import { integrationsApi } from '../../api/admin-api';
import type { IntegrationUsage, UsageRefusalReason } from '../../api/types';
import { errorText } from '../../i18n/api-errors';
import type { MessageId } from '../../i18n/catalogue';
import { useI18n } from '../../i18n/use-i18n';
import { DateTime } from '../../ui/date-time';
import { UsageChart } from './usage-chart';

/** The window shown: everything the gateway keeps. */
const DAYS = 30;

const REASONS: ReadonlyArray<[UsageRefusalReason, MessageId]> = [
  ['signature', 'usage.reason.signature'],
  ['acl', 'usage.reason.acl'],
  ['route', 'usage.reason.route'],
  ['rateLimit', 'usage.reason.rateLimit'],
  ['ip', 'usage.reason.ip'],
  ['expired', 'usage.reason.expired'],
  ['suspended', 'usage.reason.suspended'],
];

/**
 * "API Usage" on the Edit page: the integration's calls over the last 30 days (UTC), the last call,
 * a chart of calls per day and the refused calls by reason (`GET /admin/v1/integrations/{id}/usage`).
 */
export function IntegrationUsageSection({ id }: { id: string }) {
  const { t, intl } = useI18n();
  const [usage, setUsage] = useState<IntegrationUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(() => {
    let cancelled = false;
    setLoading(true);
    integrationsApi.usage(id, DAYS).then(
      (loaded) => {
        if (cancelled) return;
        setUsage(loaded);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (cancelled) return;
        setError(errorText(intl, e));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
    // Loaded per integration, not per locale.
  }, [id]);
  useEffect(load, [load]);

  const number = (value: number) => intl.formatNumber(value);

  return (
    <section className="usage-section" aria-labelledby="usage-title">
      <div className="usage-header">
        <h2 id="usage-title" className="usage-title">
          {t('usage.title')}
        </h2>
        <span className="muted">{t('usage.period', { days: DAYS })}</span>
        <button type="button" className="button button-secondary button-small" disabled={loading} onClick={load}>
          {t('usage.refresh')}
        </button>
      </div>
      <p className="field-note">{t('usage.note')}</p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!usage && !error && <p className="muted">{t('usage.loading')}</p>}
      {usage && (
        <>
          <dl className="usage-figures">
            <div>
              <dt>{t('usage.calls')}</dt>
              <dd>{number(usage.totals.calls)}</dd>
            </div>
            <div>
              <dt>{t('usage.accepted')}</dt>
              <dd>{number(usage.totals.accepted)}</dd>
            </div>
            <div>
              <dt>{t('usage.refused')}</dt>
              <dd>{number(usage.totals.refused)}</dd>
            </div>
            <div>
              <dt>{t('usage.lastCall')}</dt>
              <dd>{usage.lastCallAt ? <DateTime iso={usage.lastCallAt} /> : t('row.never')}</dd>
            </div>
          </dl>
          {usage.totals.calls === 0 ? (
            <p className="muted usage-empty">{t('usage.empty', { days: DAYS })}</p>
          ) : (
            <div className="usage-details">
              <figure className="usage-figure">
                <figcaption className="usage-caption">
                  <span>{t('usage.chart.title')}</span>
                  <span className="usage-legend">
                    <span className="usage-swatch usage-swatch-accepted" aria-hidden="true" />
                    <span>{t('usage.accepted')}</span>
                    <span className="usage-swatch usage-swatch-refused" aria-hidden="true" />
                    <span>{t('usage.refused')}</span>
                  </span>
                </figcaption>
                <UsageChart
                  daily={usage.daily}
                  summary={t('usage.chart.summary', {
                    calls: usage.totals.calls,
                    days: DAYS,
                    refused: usage.totals.refused,
                  })}
                />
              </figure>
              <div className="usage-reasons">
                <table className="data-grid">
                  <caption>{t('usage.reasons.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('usage.reasons.reason')}</th>
                      <th scope="col" className="numeric">
                        {t('usage.calls')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {REASONS.map(([reason, label]) => (
                      <tr key={reason} data-reason={reason}>
                        <td>{t(label)}</td>
                        <td className="numeric">{number(usage.refusals[reason])}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
