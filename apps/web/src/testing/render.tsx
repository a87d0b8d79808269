import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { Me } from '@vetlab/shared';
import { ApiClient } from '../api/api-client';
import { AppProviders } from '../app/providers';

/** A media query's answer that never changes (jsdom has no layout to ask). */
export function fakeMediaQueryList(media: string, matches: boolean): MediaQueryList {
  return {
    matches,
    media,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  };
}

// jsdom lacks what Mantine's color scheme, popovers and scroll areas ask the browser for.
if (typeof window !== 'undefined') {
  window.matchMedia ??= (query: string) => fakeMediaQueryList(query, false);
  window.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  Element.prototype.scrollIntoView ??= () => undefined;
}

const defaultMatchMedia = typeof window !== 'undefined' ? window.matchMedia : undefined;

/**
 * The window answers media queries as a phone (true: `query` matches) or a wide screen would;
 * `phoneScreen(null)` puts the default back. Set it before rendering: layouts read it at once.
 */
export function phoneScreen(query: string | null) {
  if (query === null) {
    if (defaultMatchMedia) window.matchMedia = defaultMatchMedia;
    return;
  }
  window.matchMedia = (q: string) => fakeMediaQueryList(q, q === query);
}

/** A query cache for one test: no retries, nothing shared with the next test. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
}

interface Options {
  api?: ApiClient;
  /** Where the memory router starts, e.g. "/protocols?status=received". */
  at?: string;
  /** Route pattern the element is mounted on, e.g. "/protocols/:id". */
  path?: string;
  queryClient?: QueryClient;
}

/**
 * Renders inside the app's real providers (Mantine, i18n in Spanish, react-query) and a memory
 * router. Returns the router so a test can read the location the page navigated to.
 */
export function renderWithProviders(element: ReactNode, { api = new ApiClient(), at = '/', path = '*', queryClient = testQueryClient() }: Options = {}) {
  const router = createMemoryRouter(
    [
      { path, element },
      { path: '*', element: <div data-testid="elsewhere" /> },
    ],
    { initialEntries: [at] },
  );
  const result = render(
    <AppProviders client={api} queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...result, router, queryClient };
}

/** A fetch that answers JSON per path (query string included in what `route` receives) and records calls. */
export function fakeFetch(route: (url: URL, init: RequestInit | undefined) => Response | Promise<Response>) {
  const calls: URL[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    calls.push(url);
    return route(url, init);
  };
  return { fn: fn as typeof fetch, calls };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** An ApiClient already signed in as `user` (the fake answers /auth/login itself). */
export async function signedInApi(user: Me, route: (url: URL, init: RequestInit | undefined) => Response | Promise<Response>) {
  const fake = fakeFetch((url, init) =>
    url.pathname === '/api/auth/login' ? json({ accessToken: 'token', expiresIn: 900, user }) : route(url, init),
  );
  const api = new ApiClient(fake.fn);
  await api.login({ email: user.email, password: 'x' });
  return { api, calls: fake.calls };
}

export const USERS = {
  admin: { id: 'u-admin', email: 'admin@lab.test', name: 'Admin', role: 'admin', signer: false, clinic: null },
  staff: { id: 'u-staff', email: 'staff@lab.test', name: 'Técnica', role: 'staff', signer: false, clinic: null },
  vet: { id: 'u-vet', email: 'vet@lab.test', name: 'Dra. Vet', role: 'vet', signer: false, clinic: { id: 'c1', name: 'Clínica Norte' } },
} satisfies Record<string, Me>;
