import { Alert, Anchor, Button, Center, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ErrorCode, PasswordLinkInfo } from '@vetlab/shared';
import { FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/api-client';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { serverFieldErrors } from '../intake/form-errors';
import { errorMessage } from '../notifications/notify';
import { useFormatters } from '../protocols/format';
import { newPasswordReady, NewPasswordFields } from './password-fields';

const isLinkInvalid = (e: unknown) => e instanceof ApiError && (e.status === 410 || e.body?.code === ErrorCode.PasswordLinkInvalid);

/** The notice the login page shows after a password was set (`/login?notice=password-set`). */
export const PASSWORD_SET_NOTICE = 'password-set';

/**
 * /password/:token — public (no session): a person sets their password through the one-time link
 * they were mailed. Fits a phone (390 px). A used, replaced or expired link says what to do.
 */
export function SetPasswordPage() {
  const api = useApi();
  const { t } = useI18n();
  const fmt = useFormatters();
  const navigate = useNavigate();
  const { token = '' } = useParams();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const info = useQuery({ queryKey: ['password-link', token], queryFn: () => api.get<PasswordLinkInfo>('/auth/password-link', { token }), retry: false, staleTime: Infinity });
  const save = useMutation({
    mutationFn: () => api.post<void>('/auth/password', { token, password }),
    onSuccess: () => navigate(`/login?notice=${PASSWORD_SET_NOTICE}`, { replace: true }),
  });
  const serverError = serverFieldErrors(t, save.error)?.fields.password ?? null;
  const invalid = isLinkInvalid(info.error) || isLinkInvalid(save.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (newPasswordReady(password, repeat)) save.mutate();
  }

  let body;
  if (info.isPending) body = <Loader aria-label={t('app.loading')} />;
  else if (invalid) {
    body = (
      <Stack gap="sm" data-testid="password-link-invalid">
        <Title order={3}>{t('password.invalid.title')}</Title>
        <Text size="sm">{t('password.invalid.body')}</Text>
        <Anchor component={Link} to="/login">
          {t('password.toLogin')}
        </Anchor>
      </Stack>
    );
  } else if (info.error) {
    body = (
      <Alert color="red" role="alert">
        {errorMessage(t, info.error)}
      </Alert>
    );
  } else {
    body = (
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} c="teal.8">
              {t('password.title')}
            </Title>
            <Text size="sm" data-testid="password-for">
              {t('password.for', { name: info.data.name, email: info.data.email })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('password.expires', { date: fmt.dateTime(info.data.expiresAt) })}
            </Text>
          </div>
          {/* The e-mail as a username, so a password manager stores the pair. */}
          <input type="email" autoComplete="username" value={info.data.email} readOnly hidden />
          <NewPasswordFields password={password} repeat={repeat} onPassword={setPassword} onRepeat={setRepeat} serverError={serverError} />
          {save.error && !serverError && (
            <Alert color="red" variant="light" role="alert" p="xs">
              {errorMessage(t, save.error)}
            </Alert>
          )}
          <Button type="submit" loading={save.isPending} disabled={!newPasswordReady(password, repeat)} data-testid="save-password">
            {t('password.save')}
          </Button>
        </Stack>
      </form>
    );
  }
  return (
    <Center mih="100vh" bg="gray.0" p="xs">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={420}>
        {body}
      </Paper>
    </Center>
  );
}
