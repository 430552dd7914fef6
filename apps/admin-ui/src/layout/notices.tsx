import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { MessageId } from '../i18n/catalogue';
import { useI18n } from '../i18n/use-i18n';

export type NoticeKind = 'success' | 'error' | 'warning' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

interface NoticesApi {
  notices: Notice[];
  /** Shows a message on the current page; `replaces` removes an earlier message it supersedes. */
  notify(kind: NoticeKind, text: string, replaces?: string): void;
  /** Shows a message on the page the app navigates to next (Magento's messages after a redirect). */
  flash(kind: NoticeKind, text: string, replaces?: string): void;
  dismiss(id: number): void;
}

const NoticesContext = createContext<NoticesApi | null>(null);

interface NoticesState {
  routeKey: string;
  notices: Notice[];
  queued: Notice[];
}

export function NoticesProvider({ routeKey, children }: { routeKey: string; children: ReactNode }) {
  const [state, setState] = useState<NoticesState>({ routeKey, notices: [], queued: [] });
  const nextId = useRef(1);

  // A new page shows what was flashed for it and nothing left over from the previous page. Done
  // while rendering (not in an effect) so a message the new page posts as it mounts is kept.
  if (state.routeKey !== routeKey) setState({ routeKey, notices: state.queued, queued: [] });

  const make = useCallback((kind: NoticeKind, text: string): Notice => ({ id: nextId.current++, kind, text }), []);
  const keep = (text: string, replaces?: string) => (n: Notice) => n.text !== text && n.text !== replaces;
  const notify = useCallback(
    (kind: NoticeKind, text: string, replaces?: string) =>
      setState((s) => ({ ...s, notices: [...s.notices.filter(keep(text, replaces)), make(kind, text)] })),
    [make],
  );
  const flash = useCallback(
    (kind: NoticeKind, text: string, replaces?: string) =>
      setState((s) => ({ ...s, queued: [...s.queued.filter(keep(text, replaces)), make(kind, text)] })),
    [make],
  );
  const dismiss = useCallback(
    (id: number) => setState((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) })),
    [],
  );
  const api = useMemo(
    () => ({ notices: state.notices, notify, flash, dismiss }),
    [state.notices, notify, flash, dismiss],
  );
  return <NoticesContext.Provider value={api}>{children}</NoticesContext.Provider>;
}

export function useNotices(): NoticesApi {
  const api = useContext(NoticesContext);
  if (!api) throw new Error('useNotices outside NoticesProvider');
  return api;
}

export const NOTICE_LABELS: Record<NoticeKind, MessageId> = {
  success: 'notice.success',
  error: 'notice.error',
  warning: 'notice.warning',
  info: 'notice.info',
};

/** The messages area at the top of every page; announced to screen readers as it changes. */
export function NoticeList() {
  const { notices, dismiss } = useNotices();
  const { t } = useI18n();
  return (
    <div className="notices" role="status" aria-live="polite" aria-relevant="additions text">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.kind}`} data-kind={notice.kind}>
          <span className="visually-hidden">{t('notice.prefix', { kind: t(NOTICE_LABELS[notice.kind]) })}</span>
          <span className="notice-text">{notice.text}</span>
          <button
            type="button"
            className="notice-dismiss"
            aria-label={t('notice.dismiss')}
            onClick={() => dismiss(notice.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
