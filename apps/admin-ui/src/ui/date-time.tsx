import { useIntl } from 'react-intl';
import { formatDateTime } from './format';

/** A date in the interface locale; the exact ISO instant stays in `dateTime` and on hover. */
export function DateTime({ iso }: { iso: string }) {
  const intl = useIntl();
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(intl, iso)}
    </time>
  );
}
