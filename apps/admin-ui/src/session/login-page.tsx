import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api-client';
import { authApi } from '../api/admin-api';
import { errorText } from '../i18n/api-errors';
import { useI18n } from '../i18n/use-i18n';
import { LockoutNotice } from './lockout-notice';
import { saveSession } from './session-store';

interface LoginPageProps {
  /** Why the admin is here again (an ended session), shown above the form. */
  reason?: ReactNode;
  onSignedIn: (username: string) => void;
}

/** "Welcome, please sign in": the only page shown without a session. */
export function LoginPage({ reason, onSignedIn }: LoginPageProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // Asked for once the server says the password must be replaced (the generated first admin's).
  const [newPassword, setNewPassword] = useState<string | null>(null);
  const [error, setError] = useState<ReactNode>(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const { t, intl } = useI18n();

  useEffect(() => userRef.current?.focus(), []);
  useEffect(() => {
    document.title = t('app.documentTitle', { title: t('login.title') });
  }, [t]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    if (newPassword !== null && !newPassword) {
      setError(t('login.newPasswordMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await authApi.login(username.trim(), password, newPassword ?? undefined);
      saveSession(session.accessToken, username.trim());
      onSignedIn(username.trim());
    } catch (e) {
      // The generated first password must be replaced, or the new one was refused: ask (again) for one.
      if (
        e instanceof ApiError &&
        (e.code === 'ADMIN.PASSWORD_CHANGE_REQUIRED' || e.code === 'ADMIN.NEW_PASSWORD_REJECTED')
      ) {
        setNewPassword('');
        setError(errorText(intl, e));
        return;
      }
      // Wrong password (401): Magento's wording, by its code; a lockout (423) is shown in local time.
      if (e instanceof ApiError && e.code === 'ADMIN.LOCKED') setError(<LockoutNotice error={e} />);
      else setError(errorText(intl, e));
      setPassword('');
      setNewPassword(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-box" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div className="login-logo" aria-hidden="true">
          ⬢
        </div>
        <h1 id="login-title" className="login-title">
          {t('login.title')}
        </h1>
        {reason && !error && (
          <p className="notice notice-warning" role="status">
            {reason}
          </p>
        )}
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <div className="login-field">
          <label htmlFor="login-username">{t('login.username')}</label>
          <input
            ref={userRef}
            id="login-username"
            className="input"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </div>
        <div className="login-field">
          <label htmlFor="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            className="input"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        {newPassword !== null && (
          <div className="login-field">
            <label htmlFor="login-new-password">{t('login.newPassword')}</label>
            <input
              id="login-new-password"
              className="input"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              required
            />
          </div>
        )}
        <button type="submit" className="button button-primary login-submit" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
