import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18nProvider, useI18n } from './i18n';

function Switch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <button onClick={() => setLocale(locale === 'es' ? 'en' : 'es')} data-testid="switch">
      {t('app.language')}
    </button>
  );
}

const renderSwitch = () =>
  render(
    <I18nProvider>
      <Switch />
    </I18nProvider>,
  );

describe('I18nProvider and <html lang>', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.lang = 'xx';
  });
  afterEach(() => localStorage.clear());

  it('sets Spanish at first load when nothing is remembered', () => {
    renderSwitch();
    expect(document.documentElement.lang).toBe('es');
    expect(screen.getByTestId('switch')).toHaveTextContent('Idioma');
  });

  it('sets the remembered language at first load, before any switch', () => {
    localStorage.setItem('vetlab.locale', 'en');
    renderSwitch();
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByTestId('switch')).toHaveTextContent('Language');
  });

  it('follows the language switch both ways and remembers it', () => {
    renderSwitch();
    act(() => screen.getByTestId('switch').click());
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('vetlab.locale')).toBe('en');
    act(() => screen.getByTestId('switch').click());
    expect(document.documentElement.lang).toBe('es');
    expect(localStorage.getItem('vetlab.locale')).toBe('es');
  });

  it('ignores an unknown remembered value', () => {
    localStorage.setItem('vetlab.locale', 'fr');
    renderSwitch();
    expect(document.documentElement.lang).toBe('es');
  });
});
