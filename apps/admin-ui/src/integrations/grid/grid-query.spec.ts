import { activationAction } from '../status-label';
import { DEFAULT_PAGE_SIZE, gridSearch, nextSort, readGridQuery, sortDirection } from './grid-query';

describe('grid query in the URL', () => {
  it('reads what it writes, and omits defaults', () => {
    const query = { name: 'shop eu', status: 'active' as const, sort: '-name' as const, page: 3, pageSize: 50 };
    expect(readGridQuery(new URLSearchParams(gridSearch(query)))).toEqual(query);
    expect(gridSearch({ name: '', status: '', sort: '', page: 1, pageSize: DEFAULT_PAGE_SIZE })).toBe('');
  });

  it('ignores values the API would refuse (hand-edited URLs)', () => {
    expect(readGridQuery(new URLSearchParams('status=deleted&sort=secret&page=-2&pageSize=7'))).toEqual({
      name: '',
      status: '',
      sort: '',
      page: 1,
      pageSize: DEFAULT_PAGE_SIZE,
    });
  });

  it('sorts ascending first, then descending', () => {
    expect(nextSort('', 'name')).toBe('name');
    expect(nextSort('name', 'name')).toBe('-name');
    expect(nextSort('-name', 'name')).toBe('name');
    expect(nextSort('name', 'status')).toBe('status');
    expect(sortDirection('-status', 'status')).toBe('descending');
    expect(sortDirection('-status', 'name')).toBe('none');
  });

  it('sorts dates newest first, then oldest first, and keeps the date sort in the URL', () => {
    expect(nextSort('', 'createdAt')).toBe('-createdAt');
    expect(nextSort('-createdAt', 'createdAt')).toBe('createdAt');
    expect(nextSort('createdAt', 'createdAt')).toBe('-createdAt');
    expect(nextSort('-createdAt', 'updatedAt')).toBe('-updatedAt');
    expect(nextSort('-updatedAt', 'name')).toBe('name');
    expect(sortDirection('-updatedAt', 'updatedAt')).toBe('descending');
    expect(sortDirection('-updatedAt', 'createdAt')).toBe('none');
    const query = { name: '', status: '' as const, sort: '-updatedAt' as const, page: 1, pageSize: DEFAULT_PAGE_SIZE };
    expect(gridSearch(query)).toBe('?sort=-updatedAt');
    expect(readGridQuery(new URLSearchParams('sort=createdAt')).sort).toBe('createdAt');
  });
});

describe("Magento's Activate column", () => {
  it('says Reauthorize only when active; a Reset row says Activate but reauthorizes', () => {
    expect(activationAction('inactive')).toEqual({ label: 'row.activate', reauthorize: false });
    expect(activationAction('active')).toEqual({ label: 'row.reauthorize', reauthorize: true });
    expect(activationAction('reset')).toEqual({ label: 'row.activate', reauthorize: true });
  });
});
