import { directCallUrl, forwardedCallUrl } from './signature-url';

describe('the URL a client signed', () => {
  describe('direct calls', () => {
    it("is the Host header plus the raw target, as Magento's scheme://HttpHost + RequestUri", () => {
      expect(directCallUrl('http', '127.0.0.1:8080', 'shop.example.com', '/rest/V1/products/ABC%2F10?a[b]=c%20d')).toBe(
        'http://127.0.0.1:8080/rest/V1/products/ABC%2F10?a[b]=c%20d',
      );
    });

    it('takes the scheme of the public base URL (TLS ends in front of the gateway)', () => {
      expect(directCallUrl('https', 'shop.example.com', 'shop.example.com', '/rest/V1/orders')).toBe(
        'https://shop.example.com/rest/V1/orders',
      );
    });

    it('falls back to the public host when Host is missing or could change how the URL splits', () => {
      expect(directCallUrl('http', undefined, 'shop.example.com', '/rest/V1/orders')).toBe(
        'http://shop.example.com/rest/V1/orders',
      );
      expect(directCallUrl('http', 'evil.example/rest?', 'shop.example.com', '/rest/V1/orders')).toBe(
        'http://shop.example.com/rest/V1/orders',
      );
      expect(directCallUrl('http', '[::1]:8080', 'shop.example.com', '/x')).toBe('http://[::1]:8080/x');
    });
  });

  describe('calls NGINX asks about', () => {
    const fallback = { scheme: 'http' as const, host: 'gateway.internal:8080' };

    it('is rebuilt from X-Forwarded-Proto / -Host and X-Original-URI, not from the subrequest', () => {
      expect(
        forwardedCallUrl(
          { proto: 'https', host: 'api.example.com', port: '443' },
          fallback,
          '/rest/default/V1/products?x=1',
        ),
      ).toBe('https://api.example.com/rest/default/V1/products?x=1');
      expect(
        forwardedCallUrl({ proto: 'http', host: '127.0.0.1:8088', port: '8088' }, fallback, '/rest/V1/products'),
      ).toBe('http://127.0.0.1:8088/rest/V1/products');
    });

    it('adds X-Forwarded-Port only when the host lacks a port and it is not the default', () => {
      expect(forwardedCallUrl({ proto: 'http', host: 'api.example.com', port: '8088' }, fallback, '/r')).toBe(
        'http://api.example.com:8088/r',
      );
      expect(forwardedCallUrl({ proto: 'http', host: 'api.example.com', port: '80' }, fallback, '/r')).toBe(
        'http://api.example.com/r',
      );
      expect(forwardedCallUrl({ proto: 'http', host: 'api.example.com:9000', port: '8088' }, fallback, '/r')).toBe(
        'http://api.example.com:9000/r',
      );
    });

    it('uses the public origin when the headers are missing or malformed', () => {
      expect(forwardedCallUrl({}, fallback, '/r')).toBe('http://gateway.internal:8080/r');
      expect(forwardedCallUrl({ proto: 'gopher', host: 'a b' }, fallback, '/r')).toBe('http://gateway.internal:8080/r');
    });
  });
});
