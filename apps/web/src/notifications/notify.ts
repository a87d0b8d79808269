import { notifications } from '@mantine/notifications';
import type { ErrorBody, FieldError } from '@vetlab/shared';
import { ApiError } from '../api/api-client';
import { catalogue, MessageKey } from '../i18n/catalogue';
import type { Translate } from '../i18n/i18n';

/**
 * A failed answer in the reader's language, from its stable `code` (never the server's English
 * sentence); an answer without a known code names its HTTP status.
 */
export function apiErrorText(t: Translate, status: number, body: Pick<ErrorBody, 'code'> | null | undefined): string {
  const key = `error.code.${body?.code ?? ''}`;
  return key in catalogue ? t(key as MessageKey) : t('error.http', { status });
}

/** One field of a 400 in the reader's language, from its code (`{n}` the bound a size rule broke). */
export function fieldErrorText(t: Translate, detail: Pick<FieldError, 'code' | 'limit'>): string {
  const key = `error.field.${detail.code}`;
  return key in catalogue ? t(key as MessageKey, { n: detail.limit ?? '' }) : t('error.field.invalid_value');
}

/** The message a person should read for a failed request, in their language. */
export function errorMessage(t: Translate, error: unknown): string {
  if (error instanceof ApiError) return apiErrorText(t, error.status, error.body);
  // fetch() itself failed: offline, or the server is not answering.
  if (error instanceof TypeError) return t('error.network');
  // The SPA's own errors carry texts it already translated.
  if (error instanceof Error && error.message) return error.message;
  return t('app.error');
}

export function notifyError(t: Translate, error: unknown, title?: string): void {
  notifications.show({ color: 'red', title: title ?? t('app.error'), message: errorMessage(t, error), autoClose: 8000 });
}

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 4000 });
}
