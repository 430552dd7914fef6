/**
 * The admin's "Interface Locale" (Magento's per-user setting), kept on the account so that it follows
 * the admin from browser to browser. The list is the admin UI's (`apps/admin-ui/src/i18n/locales.ts`,
 * which has a catalogue for each): a locale the UI cannot show is refused here rather than stored.
 */
export const INTERFACE_LOCALES = ['en-US', 'fr-FR'] as const;
export type InterfaceLocale = (typeof INTERFACE_LOCALES)[number];

export function isInterfaceLocale(value: unknown): value is InterfaceLocale {
  return typeof value === 'string' && (INTERFACE_LOCALES as readonly string[]).includes(value);
}
