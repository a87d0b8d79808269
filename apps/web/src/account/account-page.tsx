import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { useApi, useSession } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { serverFieldErrors } from '../intake/form-errors';
import { errorMessage, notifySuccess } from '../notifications/notify';
import { newPasswordReady, NewPasswordFields } from './password-fields';

/** /account: every signed-in person changes their own password (their other sessions end). */
export function AccountPage() {
  const api = useApi();
  const session = useSession();
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useMutation({
    mutationFn: () => api.put<void>('/auth/me/password', { currentPassword: current, newPassword: password }),
    onSuccess: () => {
      setCurrent('');
      setPassword('');
      setRepeat('');
      notifySuccess(t('account.password.done'));
    },
  });
  const fields = serverFieldErrors(t, change.error)?.fields ?? {};
  const ready = current.length > 0 && newPasswordReady(password, repeat);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (ready) change.mutate();
  }

  return (
    <Stack gap="md" maw={480}>
      <Title order={2}>{t('account.title')}</Title>
      {session && (
        <Text size="sm" c="dimmed">
          {session.user.name} · {session.user.email}
        </Text>
      )}
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Title order={4}>{t('account.password.title')}</Title>
            <PasswordInput
              label={t('account.password.current')}
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
              error={fields.currentPassword}
              data-testid="current-password"
            />
            <NewPasswordFields password={password} repeat={repeat} onPassword={setPassword} onRepeat={setRepeat} serverError={fields.newPassword} />
            <Text size="xs" c="dimmed">
              {t('account.password.hint')}
            </Text>
            {change.error && !Object.keys(fields).length && (
              <Alert color="red" variant="light" role="alert" p="xs">
                {errorMessage(t, change.error)}
              </Alert>
            )}
            <Button type="submit" loading={change.isPending} disabled={!ready} data-testid="change-password">
              {t('account.password.title')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
