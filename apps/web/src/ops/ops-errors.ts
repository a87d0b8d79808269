import { ApiError } from '../api/api-client';
import type { MessageKey } from '../i18n/catalogue';
import { catalogue } from '../i18n/catalogue';
import type { Translate } from '../i18n/i18n';
import { errorMessage, notifyError } from '../notifications/notify';

/**
 * What a refused console action says: the SPA's own text for a stable `code` (JOB_NOT_RETRYABLE…)
 * in the reader's language, a plain "not allowed" for a 403, and the API's words otherwise.
 */
export function opsErrorMessage(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `ops.error.${error.body?.code ?? ''}`;
    if (key in catalogue) return t(key as MessageKey);
    if (error.status === 403) return t('ops.error.forbidden');
  }
  return errorMessage(t, error);
}

/** The toast of a refused console action, in the SPA's words. */
export function notifyOpsError(t: Translate, error: unknown): void {
  notifyError(t, new Error(opsErrorMessage(t, error)), t('ops.action.failed'));
}
