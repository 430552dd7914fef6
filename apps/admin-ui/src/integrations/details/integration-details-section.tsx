import { type ReactNode, useEffect, useState } from 'react';
import { integrationsApi } from '../../api/admin-api';
import type { IntegrationDetails } from '../../api/types';
import { errorText } from '../../i18n/api-errors';
import type { MessageId } from '../../i18n/catalogue';
import { useI18n } from '../../i18n/use-i18n';
import { useAdminProfile } from '../../session/admin-profile';
import { DateTime } from '../../ui/date-time';
import { formatDateTime } from '../../ui/format';
import { RotateSecretDialog } from './rotate-secret-dialog';

/**
 * "Integration Details" on the Edit page, where Magento shows the four credentials in full. Here
 * secrets are shown once, when issued: the page gives what an admin needs instead (the consumer key,
 * the token's last 4 characters, when each was issued and last used) and says why
 * (`GET /admin/v1/integrations/{id}/details`, which never carries a secret).
 */
export function IntegrationDetailsSection({
  id,
  name,
  active,
}: {
  id: string;
  name: string;
  /** Only an active integration's secret can be rotated (the gateway says so too). */
  active: boolean;
}) {
  const { t, intl } = useI18n();
  const [details, setDetails] = useState<IntegrationDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rotating, setRotating] = useState(false);
  const [loads, setLoads] = useState(0);
  const mayChange = useAdminProfile().can('integrations:write');

  useEffect(() => {
    let cancelled = false;
    integrationsApi.details(id).then(
      (loaded) => !cancelled && setDetails(loaded),
      (e: unknown) => !cancelled && setError(errorText(intl, e)),
    );
    return () => {
      cancelled = true;
    };
    // Loaded per integration (and again after a rotation), not per locale.
  }, [id, loads]);

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
            {row('tokens.consumerSecret', shownOnce, consumer.secretIssuedAt, consumer.lastUsedAt)}
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
      {consumer?.previousSecretExpiresAt && (
        <p className="notice notice-info details-previous" role="note">
          {t('rotate.previousUntil', { time: formatDateTime(intl, consumer.previousSecretExpiresAt) })}
        </p>
      )}
      <p className="field-note details-why">{t('details.why')}</p>
      {consumer && active && mayChange && (
        <button type="button" className="button button-secondary rotate-open" onClick={() => setRotating(true)}>
          {t('rotate.button')}
        </button>
      )}
      {rotating && (
        <RotateSecretDialog
          id={id}
          name={name}
          onClose={() => setRotating(false)}
          onRotated={() => setLoads((n) => n + 1)}
        />
      )}
    </section>
  );
}
