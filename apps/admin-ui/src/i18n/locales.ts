/**
 * The interface locales (Magento's "Interface Locale" of an admin account). English (United States)
 * carries Magento's own labels; French (France) is the seed document's language.
 */
export const LOCALES = ['en-US', 'fr-FR'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en-US';

/**
 * Each locale named in its own language, as locale pickers do: an admin who cannot read the current
 * language still finds theirs. The same in every locale, so these are not catalogue messages.
 */
export const LOCALE_NAMES: Record<Locale, string> = {
  'en-US': 'English (United States)',
  'fr-FR': 'Français (France)',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The first of the browser's languages we have ("fr", "fr-CA" -> fr-FR), else the default. */
export function matchLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const exact = LOCALES.find((locale) => locale.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const language = tag.split('-')[0].toLowerCase();
    const sameLanguage = LOCALES.find((locale) => locale.split('-')[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  return DEFAULT_LOCALE;
}
