import { notifications } from '@mantine/notifications';
import { ApiError } from '../api/api-client';
import type { Translate } from '../i18n/i18n';

/** The message a person should read for a failed request: the API's own words when it sent them. */
export function errorMessage(t: Translate, error: unknown): string {
  if (error instanceof ApiError) return error.body?.message ?? `HTTP ${error.status}`;
  if (error instanceof Error && error.message) return error.message;
  return t('app.error');
}

export function notifyError(t: Translate, error: unknown, title?: string): void {
  notifications.show({ color: 'red', title: title ?? t('app.error'), message: errorMessage(t, error), autoClose: 8000 });
}

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 4000 });
}
