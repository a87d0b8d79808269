import { Center, Paper } from '@mantine/core';
import { Navigate, useSearchParams } from 'react-router';
import { useApi, useSession } from '../app/providers';
import { LoginForm } from './login-form';

/** After signing in, back to the page the user was on (?next=), never to another origin. */
export function LoginPage() {
  const api = useApi();
  const session = useSession();
  const [params] = useSearchParams();
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  if (session) return <Navigate to={target} replace />;
  return (
    <Center h="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <LoginForm onLogin={(c) => api.login(c)} />
      </Paper>
    </Center>
  );
}
