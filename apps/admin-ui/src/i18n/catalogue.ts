import aclTitlesFr from './acl/fr-FR.json';
import type { Locale } from './locales';
import enUS from './messages/en-US.json';
import frFR from './messages/fr-FR.json';

/**
 * The message catalogues: ICU MessageFormat, one JSON file per locale under messages/, the same
 * keys in each (catalogue.spec.ts checks keys, arguments and tags). en-US is the source.
 */
export type MessageId = keyof typeof enUS;
export type Catalogue = Record<MessageId, string>;

export const CATALOGUES: Record<Locale, Catalogue> = {
  'en-US': enUS,
  // A key missing from a translation shows the English text rather than the key.
  'fr-FR': { ...enUS, ...(frFR as Partial<Catalogue>) },
};

/**
 * ACL resource titles come from the API in English (Magento's acl.xml titles); like Magento's
 * `translate="title"`, a translation is looked up by the English title. A title with no translation
 * is shown as the API gave it.
 */
const ACL_TITLES: Record<Locale, Record<string, string>> = {
  'en-US': {},
  'fr-FR': aclTitlesFr,
};

export function aclTitle(locale: Locale, title: string): string {
  return ACL_TITLES[locale][title] ?? title;
}
