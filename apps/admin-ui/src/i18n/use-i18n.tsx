import { type ReactNode, useMemo } from 'react';
import { FormattedMessage, type IntlShape, useIntl } from 'react-intl';
import { aclTitle, type MessageId } from './catalogue';
import { useLocale } from './i18n-provider';
import type { Locale } from './locales';

/** Argument values of a plain-text message. */
export type TextValues = Record<string, string | number | boolean | Date | null | undefined>;
/** Argument values of a message with tags (`<b>…</b>`): tags map to functions rendering the chunks. */
export type RichValues = Record<string, ReactNode | ((chunks: ReactNode[]) => ReactNode)>;

export interface I18n {
  locale: Locale;
  intl: IntlShape;
  /** A catalogue message as text (labels, attributes, notices). */
  t(id: MessageId, values?: TextValues): string;
  /** An ACL resource title in the interface locale. */
  aclTitle(title: string): string;
}

export function useI18n(): I18n {
  const intl = useIntl();
  const { locale } = useLocale();
  return useMemo(
    () => ({
      locale,
      intl,
      t: (id: MessageId, values?: TextValues) => intl.formatMessage({ id }, values),
      aclTitle: (title: string) => aclTitle(locale, title),
    }),
    [intl, locale],
  );
}

/** A catalogue message rendered in place, with tags as elements (`values={{ b: (c) => <b>{c}</b> }}`). */
export function Msg({ id, values }: { id: MessageId; values?: RichValues }) {
  return <FormattedMessage id={id} values={values} />;
}

/** Tag renderers used by several messages. */
export const bold = (chunks: ReactNode[]) => <strong>{chunks}</strong>;
