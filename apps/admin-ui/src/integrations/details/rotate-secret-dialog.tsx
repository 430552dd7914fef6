import { useState } from 'react';
import { ApiError } from '../../api/api-client';
import { integrationsApi } from '../../api/admin-api';
import type { RotatedSecret } from '../../api/types';
import { errorText } from '../../i18n/api-errors';
import { useI18n } from '../../i18n/use-i18n';
import { formatDateTime } from '../../ui/format';
import { Field } from '../../ui/field';
import { Modal } from '../../ui/modal';

/**
 * "Rotate consumer secret": the admin's password first (step-up, as for an activation), then the
 * new secret shown this once (no token exchange) or word that it went to the callback URL, and
 * until when the previous one keeps working (`oauth/consumer/secret_rotation_overlap`).
 */
export function RotateSecretDialog({
  id,
  name,
  onClose,
  onRotated,
}: {
  id: string;
  name: string;
  onClose: () => void;
  onRotated: () => void;
}) {
  const { t, intl } = useI18n();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [rotated, setRotated] = useState<RotatedSecret | null>(null);

  const rotate = async () => {
    if (!password) {
      setError(t('common.requiredField'));
      return;
    }
    setBusy(true);
    try {
      setRotated(await integrationsApi.rotateConsumerSecret(id, password));
      setPassword('');
      onRotated();
    } catch (e) {
      // A 401 or a lockout signs out (the app shows the login form).
      if (e instanceof ApiError && (e.status === 401 || e.code === 'ADMIN.LOCKED')) return;
      setError(errorText(intl, e, { name }));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  if (rotated) {
    return (
      <Modal
        title={t('rotate.button')}
        onClose={onClose}
        className="rotate-dialog"
        initialFocus=".rotate-done"
        actions={
          <button type="button" className="button button-primary rotate-done" onClick={onClose}>
            {t('tokens.done')}
          </button>
        }
      >
        {rotated.mode === 'tokens' ? (
          <>
            <p className="notice notice-warning" role="note">
              {t('rotate.shown')}
            </p>
            <div className="field credential">
              <label className="field-label" htmlFor="rotated-secret">
                {t('rotate.newSecret')}
              </label>
              <div className="field-control">
                <input
                  id="rotated-secret"
                  className="input input-mono"
                  readOnly
                  value={rotated.consumerSecret}
                  spellCheck={false}
                  autoComplete="off"
                  onFocus={(e) => e.target.select()}
                />
              </div>
            </div>
          </>
        ) : (
          <p className="notice notice-success" role="status">
            {t('rotate.sent')}
          </p>
        )}
        <p className="rotate-previous">
          {rotated.previousSecretExpiresAt
            ? t('rotate.previousUntil', { time: formatDateTime(intl, rotated.previousSecretExpiresAt) })
            : t('rotate.previousStopped')}
        </p>
      </Modal>
    );
  }

  return (
    <Modal
      title={t('rotate.button')}
      onClose={onClose}
      className="rotate-dialog"
      actions={
        <>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary rotate-confirm" disabled={busy} onClick={rotate}>
            {t('rotate.confirm')}
          </button>
        </>
      }
    >
      <p>{t('rotate.intro')}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void rotate();
        }}
      >
        <Field label={t('form.yourPassword')} error={error} required>
          {({ id: inputId, describedBy, invalid }) => (
            <input
              id={inputId}
              name="currentPassword"
              className="input"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
                setError(undefined);
              }}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
            />
          )}
        </Field>
      </form>
    </Modal>
  );
}
