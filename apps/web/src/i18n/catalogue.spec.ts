import { describe, expect, it } from 'vitest';
import { catalogue, catalogueParts } from './catalogue';
import { translate } from './i18n';
import { plural } from './plural';

describe('catalogue', () => {
  it('has no key defined in two parts', () => {
    const seen = new Map<string, string>();
    for (const [part, messages] of Object.entries(catalogueParts)) {
      for (const key of Object.keys(messages)) {
        expect(seen.get(key) ?? part).toBe(part);
        seen.set(key, part);
      }
    }
  });

  it('has a non-empty text for every locale', () => {
    for (const messages of Object.values(catalogueParts)) {
      for (const [key, texts] of Object.entries(messages as Record<string, Record<string, string>>)) {
        expect([key, texts.es?.trim().length > 0, texts.en?.trim().length > 0]).toEqual([key, true, true]);
      }
    }
  });

  it('counts only through the plural helper: a text with a count is a `_one`/`_other` pair', () => {
    const keys = new Set(Object.keys(catalogue));
    // A count beside no word that agrees with it: "2 × Suero", "Análisis (3)", "(4 sin leer)"; or one
    // that is always many: "más de 10.000 protocolos" (the list's capped total).
    const invariant = new Set(['protocol.sampleCount', 'workOrder.analytes', 'notifications.openUnread', 'protocols.filter.more', 'protocols.totalMore', 'bulk.selectedAllMore', 'bulk.selectAllMore']);
    for (const [key, texts] of Object.entries(catalogue as Record<string, Record<string, string>>)) {
      const counted = /\{count\}/.test(texts.es) || /\{count\}/.test(texts.en);
      if (!counted || invariant.has(key)) continue;
      const base = key.replace(/_(one|other)$/, '');
      expect([key, key !== base, keys.has(`${base}_one`), keys.has(`${base}_other`)]).toEqual([key, true, true, true]);
    }
  });

  it('says "1 protocolo" and "2 protocolos" in Spanish, "1 protocol" and "2 protocols" in English', () => {
    for (const [locale, one, two] of [
      ['es', '¿Aplicar a 1 protocolo?', '¿Aplicar a 2 protocolos?'],
      ['en', 'Apply to 1 protocol?', 'Apply to 2 protocols?'],
    ] as const) {
      const t = translate(locale);
      expect([plural(t, locale, 'bulk.confirm.title', 1), plural(t, locale, 'bulk.confirm.title', 2)]).toEqual([one, two]);
    }
    expect(plural(translate('en'), 'en', 'submit.panelAnalytes', 1)).toBe('1 analysis');
    expect(plural(translate('es'), 'es', 'results.unsaved', 1)).toBe('1 cambio sin guardar');
  });
});
