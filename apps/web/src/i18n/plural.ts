import type { MessageKey } from './catalogue';
import type { Translate } from './i18n';
import type { Locale } from './types';

type Counted<K> = K extends `${infer B}_one` ? (`${B}_other` extends MessageKey ? B : never) : never;
/** The base of every counted text: a key that has both `<base>_one` and `<base>_other`. */
export type PluralKey = Counted<MessageKey>;

const rules = new Map<Locale, Intl.PluralRules>();

/**
 * A counted text in the reader's language: `<base>_one` or `<base>_other` by the locale's plural
 * rules (Spanish and English both say "1 trabajo", "0 trabajos"), with `{count}` filled in.
 */
export function plural(t: Translate, locale: Locale, base: PluralKey, count: number, vars: Record<string, string | number> = {}): string {
  let rule = rules.get(locale);
  if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale)));
  const form = rule.select(count) === 'one' ? 'one' : 'other';
  return t(`${base}_${form}` as MessageKey, { count, ...vars });
}
