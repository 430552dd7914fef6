import { useEffect, useState } from 'react';
import type { ApiError } from '../api/api-client';
import { errorText } from '../i18n/api-errors';
import { Msg, useI18n } from '../i18n/use-i18n';
import { lockedUntil, lockoutWhen } from './lockout';

interface LockoutNoticeProps {
  error: ApiError;
  /** The lock came during a session (a wrong password on a save), which it ended. */
  signedOut?: boolean;
}

/**
 * The API's lockout message carries a UTC ISO instant; the admin reads a local time and how long
 * to wait, in the interface locale; the exact instant stays in `<time dateTime>` and on hover.
 */
export function LockoutNotice({ error, signedOut = false }: LockoutNoticeProps) {
  const { intl, locale } = useI18n();
  const until = lockedUntil(error);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    // "in 12 minutes" counts down while the page stays open.
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!until) return <>{errorText(intl, error)}</>;
  const iso = until.toISOString();
  const { time, fromNow } = lockoutWhen(until, now, locale);
  // One span: the notice is a flex box, which would put the <time> on a line of its own.
  return (
    <span>
      <Msg
        id={signedOut ? 'lockout.signedOut' : 'lockout.tryAgain'}
        values={{
          time,
          fromNow,
          when: (chunks) => (
            <time dateTime={iso} title={iso}>
              {chunks}
            </time>
          ),
        }}
      />
    </span>
  );
}
