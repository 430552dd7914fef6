/**
 * The identity-link window of the token exchange (Magento's integration.js): 680x510, named so a
 * second activation reuses it. It is opened while the admin's click is still being handled (before
 * the activate call answers) so popup blockers let it through; the URL is set once known.
 */
export const WINDOW_NAME = 'integration-authorization';
export const WINDOW_FEATURES = 'width=680,height=510,resizable=yes,scrollbars=yes';

/** What /admin/oauth/success posts to the admin pages (same origin: a BroadcastChannel). */
export const SUCCESS_MESSAGE_TYPE = 'integrations-admin:oauth-success';
/**
 * The success page cannot use `window.opener`: the opener is cut before the partner's page loads
 * (reverse tabnabbing), so it tells the admin through a same-origin channel instead.
 */
export const SUCCESS_CHANNEL = 'integrations-admin:oauth';

export interface SuccessMessage {
  type: typeof SUCCESS_MESSAGE_TYPE;
  /** The success URL's query (the partner may add its own parameters). */
  search: string;
}

export function isSuccessMessage(event: MessageEvent): event is MessageEvent<SuccessMessage> {
  return (event.data as SuccessMessage | null)?.type === SUCCESS_MESSAGE_TYPE;
}

/**
 * Opens the window blank, cuts its `opener`, and only then points it at `url` (the partner's identity
 * link): a page of another site must not be able to navigate the admin's tab (reverse tabnabbing).
 * `noopener` in the features would do that too, but would hand back no window to watch and close.
 * null when a popup blocker refused it.
 */
export function openAuthorizationWindow(url?: string): Window | null {
  const popup = window.open('about:blank', WINDOW_NAME, WINDOW_FEATURES);
  if (!popup) return null;
  popup.opener = null;
  if (url) popup.location.href = url;
  return popup;
}
