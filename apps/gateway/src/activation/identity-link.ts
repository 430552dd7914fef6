/**
 * The identity link the admin's browser opens, carrying `oauth_consumer_key` and `success_call_back`
 * merged into whatever query the partner's URL already has (Magento appends `?` blindly and breaks
 * such URLs). A parameter the URL already had under one of these names is replaced; the fragment stays.
 */
export function identityLinkFor(identityLinkUrl: string, consumerKey: string, successCallback: string): string {
  const url = new URL(identityLinkUrl);
  url.searchParams.set('oauth_consumer_key', consumerKey);
  url.searchParams.set('success_call_back', successCallback);
  return url.toString();
}

/** Where the partner's login page sends the admin's browser back (served by the gateway's oauth module). */
export const SUCCESS_CALLBACK_PATH = '/admin/oauth/success';
