import { useState } from 'react';
import { ApiError, GENERIC_ERROR } from '../../api/api-client';
import { integrationsApi } from '../../api/admin-api';
import type { Integration } from '../../api/types';
import { Modal } from '../../ui/modal';

export const DELETE_CONFIRMATION = "Are you sure you want to delete this integration? You can't undo this action.";

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
      setError(e instanceof ApiError ? e.message : GENERIC_ERROR);
    }
  };

  return (
    <Modal
      title="Delete Integration"
      onClose={busy ? undefined : onClose}
      className="confirm-dialog"
      initialFocus=".confirm-cancel"
      actions={
        <>
          <button type="button" className="button button-secondary confirm-cancel" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={confirm} disabled={busy}>
            OK
          </button>
        </>
      }
    >
      <p>{DELETE_CONFIRMATION}</p>
      <p className="muted">
        Integration: <strong>{integration.name}</strong>
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
