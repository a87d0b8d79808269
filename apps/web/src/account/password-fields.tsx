import { PasswordInput, Stack, Text } from '@mantine/core';
import { PASSWORD_MIN_LENGTH, PasswordSchema } from '@vetlab/shared';
import { useT } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import { fieldErrorText } from '../notifications/notify';

/**
 * What is wrong with a new password, checked with the shared policy as it is typed (the same
 * schema the API validates with), in the reader's words; null when it is fine.
 */
export function passwordProblem(t: Translate, password: string): string | null {
  const parsed = PasswordSchema.safeParse(password);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  if (issue.code === 'too_small') return t('form.error.minLength', { n: PASSWORD_MIN_LENGTH });
  if (issue.code === 'too_big') return t('form.error.maxLength', { n: Number(issue.maximum) });
  return fieldErrorText(t, { code: 'too_common' });
}

interface Props {
  password: string;
  repeat: string;
  onPassword: (v: string) => void;
  onRepeat: (v: string) => void;
  /** An error the server gave for the new password (shown when the typed one looks fine). */
  serverError?: string | null;
}

/** A new password twice, with the policy in words and checked as it is typed. */
export function NewPasswordFields({ password, repeat, onPassword, onRepeat, serverError }: Props) {
  const t = useT();
  const problem = password ? passwordProblem(t, password) : null;
  const mismatch = repeat && repeat !== password ? t('password.mismatch') : null;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed" data-testid="password-policy">
        {t('password.policy', { n: PASSWORD_MIN_LENGTH })}
      </Text>
      <PasswordInput
        label={t('password.new')}
        autoComplete="new-password"
        value={password}
        onChange={(e) => onPassword(e.currentTarget.value)}
        error={problem ?? serverError ?? undefined}
        data-testid="new-password"
      />
      <PasswordInput
        label={t('password.repeat')}
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => onRepeat(e.currentTarget.value)}
        error={mismatch ?? undefined}
        data-testid="repeat-password"
      />
    </Stack>
  );
}

/** Both fields are ready to send. */
export const newPasswordReady = (password: string, repeat: string) => PasswordSchema.safeParse(password).success && password === repeat;
