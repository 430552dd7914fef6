import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/use-i18n';
import { Link, useLocation } from '../routing/router';
import { MENU, type MenuArea } from './menu';

interface SideMenuProps {
  /** The menu entry and item of the page shown (highlighted, `aria-current`). */
  area: MenuArea | null;
  item: string | null;
}

/**
 * Magento's left-hand admin menu: a dark bar of top-level entries; each opens a panel with its
 * groups and pages (System › Extensions › Integrations). One panel at a time; Escape, a click
 * elsewhere or following a link closes it, and focus goes back to the entry.
 */
export function SideMenu({ area, item }: SideMenuProps) {
  const { t } = useI18n();
  const location = useLocation();
  const [open, setOpen] = useState<MenuArea | null>(null);
  const rootRef = useRef<HTMLElement>(null);
  const entryRefs = useRef<Partial<Record<MenuArea, HTMLButtonElement | null>>>({});
  const idPrefix = useId();

  // A new page closes the panel (its link was followed, or back/forward).
  useEffect(() => setOpen(null), [location.path]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(null);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const close = () => {
    const was = open;
    setOpen(null);
    if (was) entryRefs.current[was]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  };

  return (
    <nav className="side-menu" aria-label={t('menu.label')} ref={rootRef} onKeyDown={onKeyDown}>
      <Link to="/" className="side-menu-logo" aria-label={t('integrations.title')}>
        <span aria-hidden="true">⬢</span>
      </Link>
      <ul className="side-menu-entries">
        {MENU.map((entry) => {
          const panelId = `${idPrefix}-${entry.area}`;
          const expanded = open === entry.area;
          return (
            <li key={entry.area} className={`side-menu-entry${area === entry.area ? ' side-menu-current' : ''}`}>
              <button
                type="button"
                ref={(el) => {
                  entryRefs.current[entry.area] = el;
                }}
                className="side-menu-button"
                aria-expanded={expanded}
                aria-controls={panelId}
                data-menu={entry.area}
                onClick={() => setOpen(expanded ? null : entry.area)}
              >
                <MenuIcon area={entry.area} />
                <span className="side-menu-label">{t(entry.label)}</span>
              </button>
              <div id={panelId} className="side-menu-panel" hidden={!expanded}>
                <div className="side-menu-panel-header">
                  <strong className="side-menu-panel-title">{t(entry.label)}</strong>
                  <button type="button" className="side-menu-panel-close" aria-label={t('menu.close')} onClick={close}>
                    ×
                  </button>
                </div>
                {entry.groups.map((group) => (
                  <div className="side-menu-group" key={group.label}>
                    <strong className="side-menu-group-title">{t(group.label)}</strong>
                    <ul>
                      {group.items.map((menuItem) => (
                        <li key={menuItem.id}>
                          <Link
                            to={menuItem.to}
                            data-menu-item={menuItem.id}
                            aria-current={item === menuItem.id ? 'page' : undefined}
                            onClick={() => setOpen(null)}
                          >
                            {t(menuItem.label)}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Inline icons (no icon font): a storefront for Stores, a gear for System. */
function MenuIcon({ area }: { area: MenuArea }) {
  const d =
    area === 'stores'
      ? 'M4 4h16l1.5 5a3 3 0 0 1-5.5 1.7A3 3 0 0 1 12 12a3 3 0 0 1-4-1.3A3 3 0 0 1 2.5 9L4 4Zm1 9.5V20h5v-4h4v4h5v-6.5a4.9 4.9 0 0 1-3-.6 4.9 4.9 0 0 1-4 .9 4.9 4.9 0 0 1-4-.9 4.9 4.9 0 0 1-3 .6Z'
      : 'M10.3 2h3.4l.5 2.6 1.8.8 2.2-1.5 2.4 2.4-1.5 2.2.8 1.8 2.6.5v3.4l-2.6.5-.8 1.8 1.5 2.2-2.4 2.4-2.2-1.5-1.8.8-.5 2.6h-3.4l-.5-2.6-1.8-.8-2.2 1.5-2.4-2.4 1.5-2.2-.8-1.8-2.6-.5v-3.4l2.6-.5.8-1.8-1.5-2.2 2.4-2.4 2.2 1.5 1.8-.8.5-2.6ZM12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7Z';
  return (
    <svg className="side-menu-icon" viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false">
      <path fill="currentColor" d={d} />
    </svg>
  );
}
