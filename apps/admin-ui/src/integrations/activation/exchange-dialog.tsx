import { bold, Msg, useI18n } from '../../i18n/use-i18n';
import { Modal } from '../../ui/modal';

export type ExchangePhase = 'waiting' | 'blocked' | 'incomplete';

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
  const { t } = useI18n();
  const mode = reauthorize ? 'reauthorize' : 'activate';
  return (
    <Modal
      title={t('activation.title', { mode, name })}
      onClose={onClose}
      className="exchange-dialog"
      actions={
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t(phase === 'incomplete' ? 'common.close' : 'exchange.stopWaiting')}
        </button>
      }
    >
      {phase === 'blocked' && (
        <>
          <p className="notice notice-error" role="alert">
            {t('exchange.popupBlocked')}
          </p>
          <p>{t('exchange.mustOpen', { mode })}</p>
          <p>
            <button type="button" className="button button-primary" onClick={onOpenWindow}>
              {t('exchange.open')}
            </button>
          </p>
        </>
      )}
      {phase === 'waiting' && (
        <div className="progress" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          <div>
            <p>
              <Msg id="exchange.waiting" values={{ name, mode, b: bold }} />
            </p>
            <p className="muted">{t('exchange.signInThere')}</p>
            <p>
              <button type="button" className="button-link" onClick={onOpenWindow}>
                {t('exchange.showAgain')}
              </button>
            </p>
          </div>
        </div>
      )}
      {phase === 'incomplete' && (
        <>
          <p className="notice notice-warning" role="alert">
            {t('exchange.incomplete', { mode, name })}
          </p>
          <p>{t('exchange.startAgain', { mode })}</p>
          <p>
            <button type="button" className="button button-primary" onClick={onOpenWindow}>
              {t('exchange.open')}
            </button>
          </p>
        </>
      )}
    </Modal>
  );
}
