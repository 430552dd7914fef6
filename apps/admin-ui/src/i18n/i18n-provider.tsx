import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { IntlProvider, ReactIntlErrorCode } from 'react-intl';
import { CATALOGUES } from './catalogue';
import { DEFAULT_LOCALE, type Locale } from './locales';

interface LocaleApi {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleApi | null>(null);

/** The interface locale and its catalogue for everything below; `lang` on <html> follows it. */
export function I18nProvider({ initial, children }: { initial: Locale; children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(initial);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const api = useMemo(() => ({ locale, setLocale }), [locale]);
  return (
    <LocaleContext.Provider value={api}>
      <IntlProvider
        locale={locale}
        defaultLocale={DEFAULT_LOCALE}
        messages={CATALOGUES[locale]}
        onError={(error) => {
          // Catalogues are complete (catalogue.spec.ts); anything else is a bug worth seeing.
          if (error.code !== ReactIntlErrorCode.MISSING_TRANSLATION) console.error(error);
        }}
      >
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): LocaleApi {
  const api = useContext(LocaleContext);
  if (!api) throw new Error('useLocale outside I18nProvider');
  return api;
}
