/** Inline SVG icons: bundled with the app, no icon font or CDN. Decorative (the button has the label). */
export function TrashIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M9 3h6l1 2h4v2H4V5h4l1-2Zm-3 6h12l-1 12H7L6 9Zm4 2v8h1.5v-8H10Zm3.5 0v8H15v-8h-1.5Z"
      />
    </svg>
  );
}

export function WarningIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M12 2 1 21h22L12 2Zm1 15h-2v2h2v-2Zm0-7h-2v5h2v-5Z" />
    </svg>
  );
}

export function SortIcon({ direction }: { direction: 'ascending' | 'descending' | 'none' }) {
  const d =
    direction === 'ascending'
      ? 'M12 7l5 7H7z'
      : direction === 'descending'
        ? 'M12 17l-5-7h10z'
        : 'M12 5l4 5H8zM12 19l-4-5h8z';
  return (
    <svg className="icon sort-icon" viewBox="0 0 24 24" width="12" height="12" aria-hidden="true" focusable="false">
      <path fill="currentColor" d={d} />
    </svg>
  );
}
