import { encodedSeparatorOutsideParameter, normalizeRestTarget } from './rest-path';

describe('normalizeRestTarget (RFC 3986 §6.2.2)', () => {
  it('leaves a target without escapes as it is', () => {
    expect(normalizeRestTarget('/rest/V1/products?searchCriteria[pageSize]=2')).toEqual({
      ok: true,
      target: '/rest/V1/products?searchCriteria[pageSize]=2',
      path: '/rest/V1/products',
    });
  });

  it('decodes encoded unreserved characters, so that `searc%68` is `search`', () => {
    expect(normalizeRestTarget('/rest/V1/cmsPage/searc%68')).toMatchObject({ target: '/rest/V1/cmsPage/search' });
    expect(normalizeRestTarget('/rest/V1/%63ategories/%6C%69%73%74')).toMatchObject({
      target: '/rest/V1/categories/list',
    });
    expect(normalizeRestTarget('/rest/V1/products/a%2Db%2Ec%5Fd%7Ee')).toMatchObject({
      target: '/rest/V1/products/a-b.c_d~e',
    });
  });

  it('keeps reserved and non-ASCII escapes encoded, with upper-case hex digits', () => {
    expect(normalizeRestTarget('/rest/V1/products/ABC%2f10')).toMatchObject({ target: '/rest/V1/products/ABC%2F10' });
    expect(normalizeRestTarget('/rest/V1/products/caf%c3%a9')).toMatchObject({
      target: '/rest/V1/products/caf%C3%A9',
    });
    // %25 is "%": decoding it would let the next reader decode again.
    expect(normalizeRestTarget('/rest/V1/products/100%2568')).toMatchObject({ target: '/rest/V1/products/100%2568' });
  });

  it('normalises the path only: the query is passed on as signed', () => {
    expect(normalizeRestTarget('/rest/V1/product%73?q=%68%00')).toEqual({
      ok: true,
      target: '/rest/V1/products?q=%68%00',
      path: '/rest/V1/products',
    });
  });

  it.each([
    ['an encoded NUL', '/rest/V1/products/a%00b'],
    ['an encoded CR LF', '/rest/V1/products/a%0d%0aX-Integration-Id:%20x'],
    ['an encoded DEL', '/rest/V1/products/%7f'],
    ['a malformed escape', '/rest/V1/products/%zz'],
    ['a truncated escape', '/rest/V1/products/%4'],
    ['a fragment', '/rest/V1/products#x'],
  ])('refuses %s', (_case, target) => {
    expect(normalizeRestTarget(target)).toMatchObject({ ok: false });
  });
});

describe('encodedSeparatorOutsideParameter', () => {
  it('allows an encoded slash inside a parameter segment (a SKU)', () => {
    expect(encodedSeparatorOutsideParameter('/rest/V1/products/ABC%2F10', 'GET /V1/products/:sku')).toBe(false);
    expect(encodedSeparatorOutsideParameter('/rest/default/V1/products/ABC%2F10', 'GET /V1/products/:sku')).toBe(false);
  });

  it('refuses one where the route has a fixed segment, in the prefix, or when no route matched', () => {
    expect(encodedSeparatorOutsideParameter('/rest/V1/cmsPage%2Fsearch', null)).toBe(true);
    expect(encodedSeparatorOutsideParameter('/rest/V1/products%2Fx/y', 'GET /V1/products/:sku')).toBe(true);
    expect(encodedSeparatorOutsideParameter('/rest/de%2Ffault/V1/products/x', 'GET /V1/products/:sku')).toBe(true);
    expect(encodedSeparatorOutsideParameter('/rest/V1/products/a%5Cb', null)).toBe(true);
  });

  it('has nothing to say about a path without one', () => {
    expect(encodedSeparatorOutsideParameter('/rest/V1/products/ABC', null)).toBe(false);
  });
});
