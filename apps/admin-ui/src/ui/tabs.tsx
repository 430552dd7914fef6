import { type KeyboardEvent, type ReactNode, useRef } from 'react';
import { useI18n } from '../i18n/use-i18n';

export interface TabSpec<K extends string> {
  key: K;
  label: string;
  /** Marks the tab when a field on it has an error. */
  invalid?: boolean;
}

interface TabsProps<K extends string> {
  label: string;
  tabs: Array<TabSpec<K>>;
  active: K;
  onSelect: (key: K) => void;
  children: ReactNode;
  idPrefix: string;
}

/**
 * WAI-ARIA tabs: one tab stop, arrow keys (and Home/End) move between tabs and select them. Shown
 * as Magento's left-hand tab list on wide screens, above the panel on narrow ones.
 */
export function Tabs<K extends string>({ label, tabs, active, onSelect, children, idPrefix }: TabsProps<K>) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const { t } = useI18n();
  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.key === active);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowRight: at + 1,
      ArrowUp: at - 1,
      ArrowLeft: at - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = tabs[(moves[event.key] + tabs.length) % tabs.length];
    onSelect(next.key);
    refs.current[next.key]?.focus();
  };
  return (
    <div className="tabs">
      <div className="tab-list" role="tablist" aria-label={label} aria-orientation="vertical" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.key}
            ref={(el) => {
              refs.current[tab.key] = el;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${tab.key}`}
            aria-selected={tab.key === active}
            aria-controls={`${idPrefix}-panel-${tab.key}`}
            tabIndex={tab.key === active ? 0 : -1}
            className={`tab${tab.key === active ? ' tab-active' : ''}${tab.invalid ? ' tab-invalid' : ''}`}
            onClick={() => onSelect(tab.key)}
          >
            {tab.label}
            {tab.invalid && (
              <span className="tab-error-mark" aria-label={t('common.hasErrors')}>
                !
              </span>
            )}
          </button>
        ))}
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id={`${idPrefix}-panel-${active}`}
        aria-labelledby={`${idPrefix}-tab-${active}`}
      >
        {children}
      </div>
    </div>
  );
}
