import { Alert, Center, Paper, Stack } from '@mantine/core';
import { Navigate, useSearchParams } from 'react-router';
import { useApi, useSession } from '../app/providers';
import { PASSWORD_SET_NOTICE } from '../account/set-password-page';
import { useT } from '../i18n/i18n';
import { LoginForm } from './login-form';

/** After signing in, back to the page the user was on (?next=), never to another origin. */
export function LoginPage() {
  const api = useApi();
  const t = useT();
  const session = useSession();
  const [params] = useSearchParams();
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  if (session) return <Navigate to={target} replace />;
  return (
    <Center h="100vh" bg="gray.0">
      <Stack w={380} maw="100%" p="xs">
        {params.get('notice') === PASSWORD_SET_NOTICE && (
          <Alert color="teal" variant="light" data-testid="login-notice">
            {t('password.done')}
          </Alert>
        )}
        <Paper withBorder shadow="sm" p="xl">
          <LoginForm onLogin={(c) => api.login(c)} />
        </Paper>
      </Stack>
    </Center>
  );
}
