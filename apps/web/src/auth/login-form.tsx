import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { LoginRequest } from '@vetlab/shared';
import { FormEvent, useState } from 'react';
import { ApiError } from '../api/api-client';
import type { Translate } from '../i18n/i18n';
import { useT } from '../i18n/i18n';

interface Props {
  onLogin: (credentials: LoginRequest) => Promise<unknown>;
}

/** Email and password; the shared schema checks the form before it is sent. */
export function LoginForm({ onLogin }: Props) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = LoginRequest.safeParse({ email, password });
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0];
      setError(field === 'email' ? t('auth.invalidEmail') : t('auth.missingPassword'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onLogin(parsed.data);
    } catch (err) {
      setError(loginErrorMessage(t, err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="login-title">
      <Stack gap="md">
        <div>
          <Title id="login-title" order={2} c="teal.8">
            {t('app.name')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('auth.subtitle')}
          </Text>
        </div>
        <TextInput
          label={t('auth.email')}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          required
          withAsterisk={false}
        />
        <PasswordInput
          label={t('auth.password')}
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          required
          withAsterisk={false}
        />
        {error && (
          <Alert color="red" variant="light" role="alert" p="xs">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy} fullWidth>
          {busy ? t('auth.submitting') : t('auth.submit')}
        </Button>
      </Stack>
    </form>
  );
}

export function loginErrorMessage(t: Translate, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return t('auth.badCredentials');
    if (err.status === 429) return t('auth.tooMany');
    if (err.status === 400) return t('auth.badRequest');
    return t('auth.serverError', { status: err.status });
  }
  return t('auth.offline');
}
