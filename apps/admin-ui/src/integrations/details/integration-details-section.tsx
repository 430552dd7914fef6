import { type ReactNode, useEffect, useState } from 'react';
import { integrationsApi } from '../../api/admin-api';
import type { IntegrationDetails } from '../../api/types';
import { errorText } from '../../i18n/api-errors';
import type { MessageId } from '../../i18n/catalogue';
import { useI18n } from '../../i18n/use-i18n';
import { DateTime } from '../../ui/date-time';

/**
 * "Integration Details" on the Edit page, where Magento shows the four credentials in full. Here
 * secrets are shown once, when issued: the page gives what an admin needs instead (the consumer key,
 * the token's last 4 characters, when each was issued and last used) and says why
 * (`GET /admin/v1/integrations/{id}/details`, which never carries a secret).
 */
export function IntegrationDetailsSection({ id }: { id: string }) {
  const { t, intl } = useI18n();
  const [details, setDetails] = useState<IntegrationDetails | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    integrationsApi.details(id).then(
      (loaded) => !cancelled && setDetails(loaded),
      (e: unknown) => !cancelled && setError(errorText(intl, e)),
    );
    return () => {
      cancelled = true;
    };
    // Loaded per integration, not per locale.
  }, [id]);

  const when = (iso: string | null) => (iso ? <DateTime iso={iso} /> : t('row.never'));
  const row = (label: MessageId, value: ReactNode, issuedAt: string, lastUsedAt: string | null) => (
    <tr key={label} data-credential={label}>
      <th scope="row">{t(label)}</th>
      <td>{value}</td>
      <td>{when(issuedAt)}</td>
      <td>{when(lastUsedAt)}</td>
    </tr>
  );
  const shownOnce = <span className="muted">{t('details.shownOnce')}</span>;
  const consumer = details?.consumer;
  const token = details?.accessToken;

  return (
    <section className="details-section" aria-labelledby="details-title">
      <h2 id="details-title" className="details-title">
        {t('details.title')}
      </h2>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!details && !error && <p className="muted">{t('details.loading')}</p>}
      {details && !consumer && <p className="muted details-none">{t('details.none')}</p>}
      {consumer && (
        <table className="data-grid details-grid">
          <caption className="visually-hidden">{t('details.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('details.credential')}</th>
              <th scope="col">{t('details.value')}</th>
              <th scope="col">{t('details.issued')}</th>
              <th scope="col">{t('details.lastUsed')}</th>
            </tr>
          </thead>
          <tbody>
            {row(
              'tokens.consumerKey',
              <code className="credential">{consumer.consumerKey}</code>,
              consumer.issuedAt,
              consumer.lastUsedAt,
            )}
            {row('tokens.consumerSecret', shownOnce, consumer.issuedAt, consumer.lastUsedAt)}
            {token ? (
              <>
                {row(
                  'tokens.accessToken',
                  token.last4 ? (
                    <code className="credential">{t('details.endsWith', { last4: token.last4 })}</code>
                  ) : (
                    shownOnce
                  ),
                  token.issuedAt,
                  token.lastUsedAt,
                )}
                {row('tokens.accessTokenSecret', shownOnce, token.issuedAt, token.lastUsedAt)}
              </>
            ) : (
              <tr data-credential="tokens.accessToken">
                <th scope="row">{t('tokens.accessToken')}</th>
                <td colSpan={3} className="muted">
                  {t('details.noToken')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <p className="field-note details-why">{t('details.why')}</p>
    </section>
  );
}
