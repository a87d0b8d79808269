export type Locale = 'es' | 'en';
export const LOCALES: Locale[] = ['es', 'en'];
/** One entry per key with every locale: a missing translation is a type error. */
export type Messages = Record<string, Record<Locale, string>>;
