import { useEffect, useState } from 'react';
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
          <span className="muted">Loading records…</span>
        ) : (
          <>
            <strong>{total}</strong> {total === 1 ? 'record' : 'records'} found
          </>
        )}
      </div>
      <div className="pager-controls">
        <label className="page-size">
          <select
            className="select"
            value={pageSize}
            onChange={(e) => onPageSize(Number(e.target.value))}
            aria-label="Records per page"
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
          <span aria-hidden="true"> per page</span>
        </label>
        <nav className="pages" aria-label="Pages">
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => onPage(page - 1)}
            disabled={page <= 1}
            aria-label="Previous page"
          >
            ‹
          </button>
          <input
            className="input page-input"
            inputMode="numeric"
            aria-label={`Page number, of ${pages}`}
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
          <span className="page-of">of {pages}</span>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => onPage(page + 1)}
            disabled={page >= pages}
            aria-label="Next page"
          >
            ›
          </button>
        </nav>
      </div>
    </div>
  );
}
