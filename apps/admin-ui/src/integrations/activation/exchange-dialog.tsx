import { Modal } from '../../ui/modal';

export type ExchangePhase = 'waiting' | 'blocked' | 'incomplete';

export const POPUP_BLOCKED = 'Popup Blocker is enabled! Please add this site to your exception list.';

interface ExchangeDialogProps {
  name: string;
  reauthorize: boolean;
  phase: ExchangePhase;
  /** Opens the identity link again from this click (a user gesture popup blockers allow). */
  onOpenWindow: () => void;
  onClose: () => void;
}

/** Token exchange in progress: the partner's identity-link page is open in a separate window. */
export function ExchangeDialog({ name, reauthorize, phase, onOpenWindow, onClose }: ExchangeDialogProps) {
  const what = reauthorize ? 're-authorization' : 'activation';
  return (
    <Modal
      title={reauthorize ? `Reauthorize "${name}"` : `Activate "${name}"`}
      onClose={onClose}
      className="exchange-dialog"
      actions={
        <button type="button" className="button button-secondary" onClick={onClose}>
          {phase === 'incomplete' ? 'Close' : 'Stop Waiting'}
        </button>
      }
    >
      {phase === 'blocked' && (
        <>
          <p className="notice notice-error" role="alert">
            {POPUP_BLOCKED}
          </p>
          <p>The integration's sign-in page has to open in a new window to finish the {what}.</p>
          <p>
            <button type="button" className="button button-primary" onClick={onOpenWindow}>
              Open the sign-in window
            </button>
          </p>
        </>
      )}
      {phase === 'waiting' && (
        <div className="progress" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          <div>
            <p>
              Waiting for <strong>{name}</strong> to complete the {what} in the window that opened.
            </p>
            <p className="muted">Sign in there and approve the access. This page updates by itself when it is done.</p>
            <p>
              <button type="button" className="button-link" onClick={onOpenWindow}>
                Show the sign-in window again
              </button>
            </p>
          </div>
        </div>
      )}
      {phase === 'incomplete' && (
        <>
          <p className="notice notice-warning" role="alert">
            The {what} of "{name}" was not completed: the sign-in window closed before the integration exchanged its
            tokens.
          </p>
          <p>
            You can open the window again, or close this and start again from the grid with{' '}
            {reauthorize ? 'Reauthorize' : 'Activate'}.
          </p>
          <p>
            <button type="button" className="button button-primary" onClick={onOpenWindow}>
              Open the sign-in window
            </button>
          </p>
        </>
      )}
    </Modal>
  );
}
