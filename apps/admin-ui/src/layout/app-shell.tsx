import type { ReactNode } from 'react';
import type { Locale } from '../i18n/locales';
import { useI18n } from '../i18n/use-i18n';
import { Link } from '../routing/router';
import { AccountMenu } from './account-menu';
import type { MenuArea } from './menu';
import { NoticeList } from './notices';
import { SideMenu } from './side-menu';
import { SystemMessages } from './system-messages';

export interface Crumb {
  label: string;
  /** A page to go back to; menu groups ("System", "Extensions") are not pages. */
  to?: string;
}

interface AppShellProps {
  username: string;
  area: MenuArea | null;
  menuItem: string | null;
  /** Where the page sits, from the menu down to its parent; the page's own title closes the trail. */
  trail: Crumb[];
  pageTitle: string | null;
  onLocale: (locale: Locale) => void;
  onSignOut: () => void;
  children: ReactNode;
}

/** Side menu, then the top bar (breadcrumbs, account), system messages, page messages and the page. */
export function AppShell(props: AppShellProps) {
  const { username, area, menuItem, trail, pageTitle, onLocale, onSignOut, children } = props;
  const { t } = useI18n();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipLink')}
      </a>
      <SideMenu area={area} item={menuItem} />
      <div className="app-body">
        <header className="app-header">
          <nav className="breadcrumbs" aria-label={t('breadcrumbs.label')}>
            <ol>
              {trail.map((crumb, index) => (
                <li key={index}>{crumb.to ? <Link to={crumb.to}>{crumb.label}</Link> : crumb.label}</li>
              ))}
              {pageTitle && <li aria-current="page">{pageTitle}</li>}
            </ol>
          </nav>
          <AccountMenu username={username} onLocale={onLocale} onSignOut={onSignOut} />
        </header>
        <main id="main" className="page" tabIndex={-1}>
          <SystemMessages />
          <NoticeList />
          {children}
        </main>
      </div>
    </div>
  );
}
