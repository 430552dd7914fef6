import type { LinkStatus } from './partner-state';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem auto;max-width:40rem;color:#222}
button{font:inherit;padding:.5rem 1.2rem;background:#1f5fbf;color:#fff;border:0;border-radius:4px;cursor:pointer}
code{background:#f3f3f3;padding:0 .2rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

/** The identity-link page the store's admin opens (Magento: a 680x510 popup). */
export function loginPage(
  consumerKey: string,
  successCallback: string,
  storeBaseUrl: string,
  formToken: string,
): string {
  return page(
    'Link your store account',
    `<p>The store <code>${escapeHtml(storeBaseUrl)}</code> wants to connect to Example Partner.</p>
<form method="post" action="/login">
<input type="hidden" name="oauth_consumer_key" value="${escapeHtml(consumerKey)}">
<input type="hidden" name="success_call_back" value="${escapeHtml(successCallback)}">
<input type="hidden" name="form_token" value="${escapeHtml(formToken)}">
<button type="submit">Link your store account</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}

export function homePage(links: LinkStatus[]): string {
  const rows = links
    .map(
      (l) =>
        `<tr><td><code>${escapeHtml(l.consumerKey)}</code></td><td>${escapeHtml(l.storeBaseUrl)}</td><td>${l.hasAccessToken ? `linked ${escapeHtml(l.linkedAt ?? '')}` : 'waiting for the identity link'}</td></tr>`,
    )
    .join('\n');
  return page(
    'Example Partner',
    `<p>Callback URL: <code>/callback</code>, Identity link URL: <code>/login</code>. Status as JSON: <a href="/status">/status</a>.</p>
<table><tr><th>consumer key</th><th>store</th><th>state</th></tr>
${rows || '<tr><td colspan="3">No store has sent credentials yet.</td></tr>'}</table>
<form method="post" action="/call?path=%2Frest%2FV1%2Fproducts"><p><button type="submit">Call GET /rest/V1/products</button></p></form>`,
  );
}
