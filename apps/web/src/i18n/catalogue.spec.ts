import { describe, expect, it } from 'vitest';
import { catalogueParts } from './catalogue';

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
});
