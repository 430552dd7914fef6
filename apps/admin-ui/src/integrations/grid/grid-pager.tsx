import { useEffect, useState } from 'react';
import { bold, Msg, useI18n } from '../../i18n/use-i18n';
import { PAGE_SIZES } from './grid-query';

interface GridPagerProps {
  /** null until the first page has loaded: "0 records found" would be a wrong answer meanwhile. */
  total: number | null;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}

/** "N records found", page size, previous / page x of y / next (Magento's grid toolbar). */
export function GridPager({ total, page, pageSize, onPage, onPageSize }: GridPagerProps) {
  const { t, intl } = useI18n();
  const pages = Math.max(1, Math.ceil((total ?? 0) / pageSize));
  const [typed, setTyped] = useState(String(page));
  useEffect(() => setTyped(String(page)), [page]);

  const goTyped = () => {
    const n = Number(typed);
    if (Number.isInteger(n) && n >= 1 && n <= pages && n !== page) onPage(n);
    else setTyped(String(page));
  };

  return (
    <div className="grid-pager">
      <div className="records-found" aria-live="polite">
        {total === null ? (
          <span className="muted">{t('grid.loadingRecords')}</span>
        ) : (
          <Msg id="grid.recordsFound" values={{ count: total, b: bold }} />
        )}
      </div>
      <div className="pager-controls">
        <label className="page-size">
          <select
            className="select"
            value={pageSize}
            onChange={(e) => onPageSize(Number(e.target.value))}
            aria-label={t('grid.perPageLabel')}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {intl.formatNumber(size)}
              </option>
            ))}
          </select>
          <span aria-hidden="true"> {t('grid.perPage')}</span>
        </label>
        <nav className="pages" aria-label={t('grid.pages')}>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => onPage(page - 1)}
            disabled={page <= 1}
            aria-label={t('grid.previousPage')}
          >
            ‹
          </button>
          <input
            className="input page-input"
            inputMode="numeric"
            aria-label={t('grid.pageNumber', { pages })}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onBlur={goTyped}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                goTyped();
              }
            }}
          />
          <span className="page-of">{t('grid.pageOf', { pages })}</span>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => onPage(page + 1)}
            disabled={page >= pages}
            aria-label={t('grid.nextPage')}
          >
            ›
          </button>
        </nav>
      </div>
    </div>
  );
}
