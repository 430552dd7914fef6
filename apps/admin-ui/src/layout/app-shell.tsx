import type { ReactNode } from 'react';
import { Link } from '../routing/router';
import { NoticeList } from './notices';
import { SystemMessages } from './system-messages';

interface AppShellProps {
  username: string | null;
  section: 'integrations' | 'settings' | 'none';
  onSignOut: () => void;
  children: ReactNode;
}

/** Header (product, navigation, account), system messages, page messages, then the page. */
export function AppShell({ username, section, onSignOut, children }: AppShellProps) {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⬢
          </span>
          <span className="brand-name">Admin</span>
        </div>
        <nav className="app-nav" aria-label="Main">
          <Link to="/" aria-current={section === 'integrations' ? 'page' : undefined}>
            Integrations
          </Link>
          <Link to="/settings" aria-current={section === 'settings' ? 'page' : undefined}>
            Settings
          </Link>
        </nav>
        <div className="account">
          {username && (
            <span className="account-name" title="Signed in as">
              {username}
            </span>
          )}
          <button type="button" className="button button-secondary button-small" onClick={onSignOut}>
            Sign Out
          </button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <SystemMessages />
        <NoticeList />
        {children}
      </main>
    </div>
  );
}
