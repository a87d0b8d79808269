import { createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, ReactNode, useContext, useState, useSyncExternalStore } from 'react';
import { ApiClient, ApiError, Session } from '../api/api-client';
import { I18nProvider } from '../i18n/i18n';

const theme = createTheme({
  primaryColor: 'teal',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  defaultRadius: 'sm',
});

const ApiContext = createContext<ApiClient | null>(null);

/** A query cache that does not retry client errors (4xx): they will not get better by asking again. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

export function AppProviders({ client, children, queryClient }: { client: ApiClient; children: ReactNode; queryClient?: QueryClient }) {
  const [qc] = useState(() => queryClient ?? createQueryClient());
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="bottom-right" limit={5} />
      <I18nProvider>
        <QueryClientProvider client={qc}>
          <ApiContext.Provider value={client}>{children}</ApiContext.Provider>
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>
  );
}

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside AppProviders');
  return api;
}

/** The current session (null when signed out); re-renders on login, refresh and logout. */
export function useSession(): Session | null {
  const api = useApi();
  return useSyncExternalStore(api.subscribe, () => api.current);
}
