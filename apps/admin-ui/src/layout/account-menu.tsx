import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useLocale } from '../i18n/i18n-provider';
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from '../i18n/locales';
import { useI18n } from '../i18n/use-i18n';
import { useRoleName } from '../session/admin-profile';

interface AccountMenuProps {
  username: string;
  onLocale: (locale: Locale) => void;
  onSignOut: () => void;
}

/** The account menu at the top right (Magento's admin user menu): Interface Locale and Sign Out. */
export function AccountMenu({ username, onLocale, onSignOut }: AccountMenuProps) {
  const { t } = useI18n();
  const role = useRoleName();
  const { locale } = useLocale();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const localeId = useId();

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
      toggleRef.current?.focus();
    }
  };

  return (
    <div className="account-menu" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={toggleRef}
        type="button"
        className="account-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t('account.menu', { username })}
        title={t('account.signedInAs', { username })}
        onClick={() => setOpen(!open)}
      >
        <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z"
          />
        </svg>
        <span className="account-name">{username}</span>
        <span aria-hidden="true">▾</span>
      </button>
      <div id={panelId} className="account-panel" hidden={!open}>
        {role && <p className="account-role">{t('account.role', { role })}</p>}
        <label className="account-locale" htmlFor={localeId}>
          {t('account.locale')}
        </label>
        <select
          id={localeId}
          className="select"
          value={locale}
          onChange={(event) => {
            if (isLocale(event.target.value)) onLocale(event.target.value);
          }}
        >
          {LOCALES.map((option) => (
            <option key={option} value={option} lang={option}>
              {LOCALE_NAMES[option]}
            </option>
          ))}
        </select>
        <button type="button" className="button button-secondary account-sign-out" onClick={onSignOut}>
          {t('account.signOut')}
        </button>
      </div>
    </div>
  );
}
