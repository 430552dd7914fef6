import { useCallback, useEffect, useState } from 'react';
import { integrationsApi } from '../api/admin-api';
import { Msg, useI18n } from '../i18n/use-i18n';
import { Link, useLocation } from '../routing/router';

const REFRESH = 'admin-ui:system-messages';

/** Asks the messages to check again (after an activation, for one: it may clear the Reset notice). */
export function refreshSystemMessages(): void {
  window.dispatchEvent(new Event(REFRESH));
}

/** The grid filtered to status Reset (Magento links the message to the Integrations grid). */
export const RESET_GRID_PATH = '/?status=reset';

/**
 * Magento's system messages (`I/Model/Message/RecreatedIntegration.php`, severity major): shown on
 * every page while any config-type integration is in status Reset, i.e. a change to the integrations
 * manifest altered its resources and its credentials were revoked. Not dismissible: it goes away once
 * every such integration was activated again. Checked when the page changes, when the window regains
 * focus and when asked (refreshSystemMessages); a failed check shows nothing rather than a stale message.
 */
export function SystemMessages() {
  const location = useLocation();
  const href = location.path + location.search.toString();
  const [resetCount, setResetCount] = useState(0);
  const { t } = useI18n();

  const check = useCallback(() => {
    let cancelled = false;
    integrationsApi.list({ status: 'reset', setupType: 'config', pageSize: 1 }).then(
      (page) => {
        if (!cancelled) setResetCount(page.total);
      },
      () => {
        if (!cancelled) setResetCount(0);
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => check(), [check, href]);
  useEffect(() => {
    let cancel: (() => void) | undefined;
    const again = () => {
      cancel?.();
      cancel = check();
    };
    window.addEventListener(REFRESH, again);
    window.addEventListener('focus', again);
    return () => {
      cancel?.();
      window.removeEventListener(REFRESH, again);
      window.removeEventListener('focus', again);
    };
  }, [check]);

  return (
    <div className="system-messages" aria-live="polite">
      {resetCount > 0 && (
        <p className="notice notice-warning system-message" data-message="integrations-reset">
          <span className="visually-hidden">{t('notice.prefix', { kind: t('notice.warning') })}</span>
          <span className="system-message-text">
            <Msg id="systemMessage.reset" values={{ link: (chunks) => <Link to={RESET_GRID_PATH}>{chunks}</Link> }} />
          </span>
        </p>
      )}
    </div>
  );
}
