import { useEffect } from 'react';
import { useI18n } from '../i18n/use-i18n';
import {
  SUCCESS_CHANNEL,
  SUCCESS_MESSAGE_TYPE,
  type SuccessMessage,
} from '../integrations/activation/authorization-window';

/**
 * `success_call_back` of the identity link: the partner sends the admin's window here when it has
 * finished. Tells the admin pages of this origin (a BroadcastChannel: the window has no opener, see
 * openAuthorizationWindow), then closes itself after a second (Magento's loginSuccessCallback). The
 * admin page also polls, so nothing is lost if this page never loads.
 */
export function OAuthSuccessPage() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('app.documentTitle', { title: t('oauthSuccess.title') });
  }, [t]);
  useEffect(() => {
    const message: SuccessMessage = { type: SUCCESS_MESSAGE_TYPE, search: window.location.search };
    try {
      const channel = new BroadcastChannel(SUCCESS_CHANNEL);
      channel.postMessage(message);
      channel.close();
    } catch {
      // No BroadcastChannel (very old browser): polling covers it.
    }
    const timer = setTimeout(() => window.close(), 1000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <main className="oauth-success" role="status">
      <h1>{t('oauthSuccess.title')}</h1>
      <p>{t('oauthSuccess.text')}</p>
    </main>
  );
}
