import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { UI_ROOT } from './build-ui';

/**
 * The "no English in the French pages" check: every text a person meets on the page (text nodes,
 * the labels of controls, titles, placeholders, the options of visible lists, the document title)
 * must be a value of the French catalogue, a piece of one between its arguments and tags, user data
 * the test put there, or an allow-listed proper noun. The arguments of a matched message must not
 * be English catalogue values either (an untranslated label passed into a French sentence).
 */
const I18N = join(UI_ROOT, 'src/i18n');
const readJson = (path: string): Record<string, string> => JSON.parse(readFileSync(join(I18N, path), 'utf8'));

export const EN_US = readJson('messages/en-US.json');
export const FR_FR = readJson('messages/fr-FR.json');
export const ACL_TITLES_FR = readJson('acl/fr-FR.json');

/** Proper nouns shown as they are in every locale: the language names of the Interface Locale list. */
export const PROPER_NOUNS = ['English (United States)', 'Français (France)'];

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const BOUNDARY = '\u0000';
const ARG = '(.+?)';

/** Every way a message can render, as regex sources with BOUNDARY where a tag starts or ends. */
function renderings(elements: MessageFormatElement[]): string[] {
  let out = [''];
  for (const element of elements) {
    let options: string[];
    switch (element.type) {
      case TYPE.literal:
        options = [escape(element.value)];
        break;
      case TYPE.tag:
        options = renderings(element.children).map((inner) => BOUNDARY + inner + BOUNDARY);
        break;
      case TYPE.select:
      case TYPE.plural:
        options = Object.values(element.options).flatMap((option) => renderings(option.value));
        break;
      default: // argument, number, date, time, pound (#)
        options = [ARG];
    }
    out = out.flatMap((prefix) => options.map((option) => prefix + option));
  }
  return out;
}

/** The pieces of a message a single text node can show: between tags, trimmed; pure placeholders dropped. */
function segments(message: string): RegExp[] {
  const found = new Set<string>();
  for (const rendering of renderings(parse(message))) {
    for (const piece of rendering.split(BOUNDARY)) {
      const source = piece.replace(/\s+/g, ' ').trim();
      if (source.replace(/\(\.\+\?\)/g, '').trim() === '') continue;
      found.add(source);
    }
  }
  return [...found].map((source) => new RegExp(`^${source}$`, 's'));
}

export interface Catalogue {
  /** Text pieces the French catalogue can show, as anchored regexes (arguments as capture groups). */
  patterns: RegExp[];
  /** English catalogue values that differ from every French value: a leak when seen. */
  english: Map<string, string>;
}

export function frenchCatalogue(): Catalogue {
  const patterns = Object.values(FR_FR).flatMap(segments);
  for (const title of Object.values(ACL_TITLES_FR)) patterns.push(new RegExp(`^${escape(normalize(title))}$`));
  const frenchValues = new Set([...Object.values(FR_FR), ...Object.values(ACL_TITLES_FR)].map(normalize));
  const english = new Map<string, string>();
  for (const [id, value] of Object.entries(EN_US)) {
    const text = normalize(value);
    if (!/\{/.test(value) && !frenchValues.has(text)) english.set(text, id);
  }
  for (const title of Object.keys(ACL_TITLES_FR)) if (!frenchValues.has(title)) english.set(title, `acl title`);
  return { patterns, english };
}

export interface LeakReport {
  /** How many texts were checked. */
  checked: number;
  /** Texts that are neither French, data nor allow-listed, with the English key when it is one. */
  leaks: string[];
}

/** Texts people meet on the page now (visible or read out), normalised. */
export async function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const seen = (el: Element) => el.checkVisibility({ checkVisibilityCSS: true });
    const lang = document.documentElement.lang;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent ?? '';
      if (!parent || !text.trim() || parent.closest('script, style, noscript, option')) continue;
      if (!seen(parent)) continue;
      // A date shown in the locale's own format is data, not a message.
      const time = parent.closest('time');
      if (time?.dateTime) {
        const formatted = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(
          new Date(time.dateTime),
        );
        if (text.trim() === formatted) continue;
      }
      out.push(text);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (!seen(el)) continue;
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(attr);
        if (value?.trim()) out.push(value);
      }
    }
    for (const select of document.body.querySelectorAll('select')) {
      if (seen(select)) for (const option of select.options) out.push(option.text);
    }
    out.push(document.title);
    return out.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean);
  });
}

/** Checks the page's texts against the French catalogue; `data` are the values the test entered. */
export async function checkFrench(page: Page, catalogue: Catalogue, data: readonly string[]): Promise<LeakReport> {
  const texts = await pageTexts(page);
  const allowed = new Set([...data, ...PROPER_NOUNS].map(normalize));
  const isData = (text: string) =>
    allowed.has(text) ||
    // No letters: numbers, counts, symbols (×, ›, ▾, ·, ⬢, *).
    !/\p{L}/u.test(text) ||
    // ISO instants kept in titles next to local dates.
    /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(text);
  const leaks: string[] = [];
  for (const text of new Set(texts)) {
    if (isData(text)) continue;
    const english = catalogue.english.get(text);
    if (english) {
      leaks.push(`${JSON.stringify(text)} (English ${english})`);
      continue;
    }
    const match = catalogue.patterns.map((pattern) => pattern.exec(text)).find(Boolean);
    if (!match) {
      leaks.push(JSON.stringify(text));
      continue;
    }
    const englishArgument = match.slice(1).find((arg) => catalogue.english.has(normalize(arg)));
    if (englishArgument) leaks.push(`${JSON.stringify(text)} (English argument ${JSON.stringify(englishArgument)})`);
  }
  return { checked: texts.length, leaks };
}
