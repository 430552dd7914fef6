import { identityLinkFor } from './identity-link';

const key = 'k'.repeat(32);
const back = 'https://shop.example.com/admin/oauth/success';

describe('identityLinkFor', () => {
  it('adds the consumer key and the success callback, encoded, to a URL without a query', () => {
    expect(identityLinkFor('https://partner.example.com/login', key, back)).toBe(
      `https://partner.example.com/login?oauth_consumer_key=${key}&success_call_back=https%3A%2F%2Fshop.example.com%2Fadmin%2Foauth%2Fsuccess`,
    );
  });

  it("merges into the partner's own query instead of appending a second '?' (Magento's bug)", () => {
    const link = new URL(identityLinkFor('https://partner.example.com/login?tenant=42&lang=fr#top', key, back));
    expect([...link.searchParams]).toEqual([
      ['tenant', '42'],
      ['lang', 'fr'],
      ['oauth_consumer_key', key],
      ['success_call_back', back],
    ]);
    expect(link.hash).toBe('#top');
    expect(link.pathname).toBe('/login');
  });

  it('replaces parameters the URL already had under those names rather than duplicating them', () => {
    const link = new URL(identityLinkFor('https://partner.example.com/login?oauth_consumer_key=stale&x=1', key, back));
    expect(link.searchParams.getAll('oauth_consumer_key')).toEqual([key]);
    expect(link.searchParams.get('x')).toBe('1');
  });
});
