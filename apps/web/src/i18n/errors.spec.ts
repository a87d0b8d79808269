import { ERROR_CODES, FieldErrorCode } from '@vetlab/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client';
import { errorMessage, fieldErrorText } from '../notifications/notify';
import { catalogue } from './catalogue';
import { translate } from './i18n';

describe('the error catalogue', () => {
  it('has a Spanish and an English text for every error code and every field code the API sends', () => {
    const keys = [...ERROR_CODES.map((c) => `error.code.${c}`), ...Object.values(FieldErrorCode).map((c) => `error.field.${c}`)];
    for (const key of keys) {
      const texts = (catalogue as Record<string, { es?: string; en?: string }>)[key];
      expect([key, !!texts?.es?.trim(), !!texts?.en?.trim()]).toEqual([key, true, true]);
    }
  });

  it("words a failed answer from its code in the reader's language, never with the server's sentence", () => {
    const conflict = new ApiError(409, { statusCode: 409, error: 'Conflict', message: 'report draft was changed by someone else', code: 'STALE' });
    expect(errorMessage(translate('es'), conflict)).toBe('Otra persona lo modificó mientras lo veías. Recarga y vuelve a aplicar tu cambio.');
    expect(errorMessage(translate('en'), conflict)).toBe('Someone else changed it while you were looking. Reload it and apply your change again.');
    // No body (a proxy's HTML page): the status, in words.
    expect(errorMessage(translate('en'), new ApiError(502, null))).toBe('The server answered with an error (502).');
    expect(errorMessage(translate('es'), new TypeError('Failed to fetch'))).toBe('No hay conexión con el servidor.');
  });

  it('words a field error from its code, with the bound of a size rule', () => {
    expect(fieldErrorText(translate('es'), { code: 'too_small', limit: 10 })).toBe('Por debajo del mínimo (10)');
    expect(fieldErrorText(translate('en'), { code: 'required' })).toBe('Required');
  });
});
