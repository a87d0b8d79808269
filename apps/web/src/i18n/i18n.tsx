import { createContext, ReactNode, useCallback, useContext, useLayoutEffect, useMemo, useState } from 'react';
import { catalogue, MessageKey } from './catalogue';
import { Locale, LOCALES } from './types';

const STORAGE_KEY = 'vetlab.locale';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: Translate;
}

/** Fills {name} placeholders. */
export function format(template: string, vars?: Record<string, string | number>): string {
  return vars ? template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : template;
}

export function translate(locale: Locale): Translate {
  return (key, vars) => format(catalogue[key]?.[locale] ?? key, vars);
}

const I18nContext = createContext<I18n>({ locale: 'es', setLocale: () => undefined, t: translate('es') });

/** The page's language for screen readers, spelling, hyphenation and the browser's translate offer. */
function applyDocumentLocale(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return LOCALES.includes(saved as Locale) ? (saved as Locale) : 'es';
}

/** Spanish by default; the choice is remembered on this browser, and `<html lang>` follows it from the first render. */
export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(fixed ?? initialLocale);
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    localStorage.setItem(STORAGE_KEY, l);
  }, []);
  // Before paint, so the first frame (a remembered English, say) already carries the right lang.
  useLayoutEffect(() => applyDocumentLocale(locale), [locale]);
  const value = useMemo(() => ({ locale, setLocale, t: translate(locale) }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);
export const useT = () => useContext(I18nContext).t;
