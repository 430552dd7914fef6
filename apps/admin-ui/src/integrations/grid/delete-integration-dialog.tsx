import { useState } from 'react';
import { ApiError } from '../../api/api-client';
import { integrationsApi } from '../../api/admin-api';
import type { Integration } from '../../api/types';
import { errorText } from '../../i18n/api-errors';
import { bold, Msg, useI18n } from '../../i18n/use-i18n';
import { Modal } from '../../ui/modal';

interface DeleteIntegrationDialogProps {
  integration: Integration;
  onClose: () => void;
  onDeleted: () => void;
  /** Someone else deleted it first. */
  onGone: () => void;
  /** Someone else saved it since the grid was loaded: deleting needs the row as it is now. */
  onChanged: () => void;
}

export function DeleteIntegrationDialog({
  integration,
  onClose,
  onDeleted,
  onGone,
  onChanged,
}: DeleteIntegrationDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { t, intl } = useI18n();

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      // If-Match: the row the admin looked at, not a newer version someone else just saved.
      await integrationsApi.remove(integration.id, integration.version);
      onDeleted();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return onGone();
      if (e instanceof ApiError && e.status === 401) return;
      // OK again would send the same stale version forever; the grid reloads the row instead.
      if (e instanceof ApiError && e.code === 'INTEGRATION.CONFLICT') return onChanged();
      setBusy(false);
      setError(errorText(intl, e, { name: integration.name }));
    }
  };

  return (
    <Modal
      title={t('delete.title')}
      onClose={busy ? undefined : onClose}
      className="confirm-dialog"
      initialFocus=".confirm-cancel"
      actions={
        <>
          <button type="button" className="button button-secondary confirm-cancel" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" onClick={confirm} disabled={busy}>
            {t('common.ok')}
          </button>
        </>
      }
    >
      <p>{t('delete.confirm')}</p>
      <p className="muted">
        <Msg id="delete.which" values={{ name: integration.name, b: bold }} />
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
