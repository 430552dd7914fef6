import { formatDateTime } from './format';

/** A date in the browser's locale; the exact ISO instant stays in `dateTime` and on hover. */
export function DateTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(iso)}
    </time>
  );
}
