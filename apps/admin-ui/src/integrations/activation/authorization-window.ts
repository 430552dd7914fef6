/**
 * The identity-link window of the token exchange (Magento's integration.js): 680x510, named so a
 * second activation reuses it. It is opened while the admin's click is still being handled (before
 * the activate call answers) so popup blockers let it through; the URL is set once known.
 */
export const WINDOW_NAME = 'integration-authorization';
export const WINDOW_FEATURES = 'width=680,height=510,resizable=yes,scrollbars=yes';

/** What /admin/oauth/success posts to the admin page that opened the window. */
export const SUCCESS_MESSAGE_TYPE = 'integrations-admin:oauth-success';

export interface SuccessMessage {
  type: typeof SUCCESS_MESSAGE_TYPE;
  /** The success URL's query (the partner may add its own parameters). */
  search: string;
}

export function isSuccessMessage(event: MessageEvent): event is MessageEvent<SuccessMessage> {
  return (
    event.origin === window.location.origin && (event.data as SuccessMessage | null)?.type === SUCCESS_MESSAGE_TYPE
  );
}

/** null when a popup blocker refused it. */
export function openAuthorizationWindow(url = 'about:blank'): Window | null {
  return window.open(url, WINDOW_NAME, WINDOW_FEATURES);
}
