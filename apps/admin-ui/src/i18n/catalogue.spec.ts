import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { createIntl } from 'react-intl';
import aclTitlesFr from './acl/fr-FR.json';
import enUS from './messages/en-US.json';
import frFR from './messages/fr-FR.json';
import { LOCALES, matchLocale } from './locales';

const catalogues: Record<string, Record<string, string>> = { 'en-US': enUS, 'fr-FR': frFR };

/** Argument names, select/plural options and tag names a message uses: what its callers must pass. */
function signature(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.tag) {
        found.add(`<${element.value}>`);
        walk(element.children);
      } else if (element.type === TYPE.select || element.type === TYPE.plural) {
        found.add(`{${element.value}}`);
        // Plural categories differ by language (French has "many"); select options must match.
        if (element.type === TYPE.select) for (const option of Object.keys(element.options)) found.add(`=${option}`);
        for (const option of Object.values(element.options)) walk(option.value);
      } else if (element.type !== TYPE.literal && element.type !== TYPE.pound) {
        found.add(`{${element.value}}`);
      }
    }
  };
  walk(parse(message));
  return [...found].sort();
}

describe('message catalogues', () => {
  it('have the same keys in every locale', () => {
    for (const locale of LOCALES) expect(Object.keys(catalogues[locale]).sort()).toEqual(Object.keys(enUS).sort());
  });

  it('parse as ICU messages and take the same arguments and tags as the English source', () => {
    for (const [id, english] of Object.entries(enUS)) {
      const french = (frFR as Record<string, string>)[id];
      expect({ id, signature: signature(french) }).toEqual({ id, signature: signature(english) });
    }
  });

  it('format with values, leaving no placeholder or quoting mistake behind', () => {
    const sample = (message: string): Record<string, unknown> => {
      const values: Record<string, unknown> = {};
      for (const part of signature(message)) {
        const tag = /^<(\w+)>$/.exec(part);
        const arg = /^\{(\w+)\}$/.exec(part);
        if (tag) values[tag[1]] = (chunks: string[]) => `[${chunks.join('')}]`;
        else if (arg) values[arg[1]] = ['count', 'pages', 'page', 'min', 'max'].includes(arg[1]) ? 2 : 'x';
      }
      return values;
    };
    for (const locale of LOCALES) {
      const messages = catalogues[locale];
      const intl = createIntl({
        locale,
        messages,
        onError: (error) => {
          throw error;
        },
      });
      for (const [id, message] of Object.entries(messages)) {
        const formatted = intl.formatMessage({ id }, sample(message) as never);
        const text = Array.isArray(formatted) ? formatted.join('') : String(formatted);
        expect({ id, locale, leftover: /[{}]/.test(text) }).toEqual({ id, locale, leftover: false });
      }
    }
  });

  it("keeps Magento's wording with an apostrophe around names (ICU quoting)", () => {
    const intl = createIntl({ locale: 'en-US', messages: enUS });
    expect(intl.formatMessage({ id: 'integration.saved' }, { name: 'Orders Sync' })).toBe(
      "The integration 'Orders Sync' has been saved.",
    );
    expect(intl.formatMessage({ id: 'form.editTitle' }, { name: 'Orders Sync' })).toBe(
      "Edit Integration 'Orders Sync'",
    );
    const fr = createIntl({ locale: 'fr-FR', messages: frFR });
    expect(fr.formatMessage({ id: 'form.editTitle' }, { name: 'Orders Sync' })).toBe(
      'Modifier l’intégration «\u00a0Orders Sync\u00a0»',
    );
  });

  it('count with the locale: plural rules and number formats', () => {
    const en = createIntl({ locale: 'en-US', messages: enUS });
    const fr = createIntl({ locale: 'fr-FR', messages: frFR });
    const b = (chunks: unknown[]) => chunks.join('');
    const text = (intl: typeof en, count: number) =>
      [intl.formatMessage({ id: 'grid.recordsFound' }, { count, b } as never)].flat().join('');
    expect([text(en, 0), text(en, 1), text(en, 1234)]).toEqual([
      '0 records found',
      '1 record found',
      '1,234 records found',
    ]);
    // French: 0 and 1 are singular; thousands with a narrow no-break space.
    expect([text(fr, 0), text(fr, 1), text(fr, 1234)]).toEqual([
      '0 enregistrement trouvé',
      '1 enregistrement trouvé',
      '1\u202f234 enregistrements trouvés',
    ]);
  });

  it('translate ACL titles to non-empty French', () => {
    for (const [english, french] of Object.entries(aclTitlesFr)) {
      expect({ english, empty: french.trim() === '' }).toEqual({ english, empty: false });
    }
  });
});

describe('locale matching', () => {
  it("takes the first of the browser's languages we have, by language when the region differs", () => {
    expect(matchLocale(['fr-FR', 'en-US'])).toBe('fr-FR');
    expect(matchLocale(['fr-CA'])).toBe('fr-FR');
    expect(matchLocale(['de-DE', 'fr'])).toBe('fr-FR');
    expect(matchLocale(['en-GB'])).toBe('en-US');
    expect(matchLocale(['de-DE'])).toBe('en-US');
    expect(matchLocale([])).toBe('en-US');
  });
});
