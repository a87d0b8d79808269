/**
 * Test helpers for the form and staff specs: a fake fetch behind the real ApiClient and the real
 * AppProviders, and a memory router. Imported by *.spec.tsx only.
 */
import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import type { Me, ProtocolDetail, AnyErrorCode, FieldError } from '@vetlab/shared';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router';
import { ApiClient } from '../api/api-client';
import { AppProviders, createQueryClient } from '../app/providers';
import { fakeMediaQueryList } from '../testing/render';

// jsdom lacks what Mantine's colour scheme and floating dropdowns use.
if (!window.matchMedia) window.matchMedia = (query: string) => fakeMediaQueryList(query, false);
if (!('ResizeObserver' in window)) {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
Element.prototype.scrollIntoView ??= () => undefined;
if (!document.fonts) {
  // Autosize textareas listen for web fonts loading.
  Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
}

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** A non-200 answer (a plain value from a handler is a 200 with that JSON body). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
export const reply = (status: number, body: unknown) => new Reply(status, body);
const CODE_OF_STATUS: Record<number, AnyErrorCode> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 429: 'RATE_LIMITED', 500: 'INTERNAL_ERROR' };

/** An error answer as the API's exception filter gives it: with its stable code (by status unless given). */
export const apiError = (status: number, message: string, details?: FieldError[], code?: AnyErrorCode) =>
  reply(status, {
    statusCode: status,
    error: 'Error',
    message,
    code: code ?? (details ? 'VALIDATION_FAILED' : (CODE_OF_STATUS[status] ?? 'BAD_REQUEST')),
    ...(details ? { details } : {}),
  });

type Handler = (call: Call) => unknown;

export const users: Record<'vet' | 'staff' | 'admin', Me> = {
  vet: { id: 'u-vet', email: 'vet@x.test', name: 'Vera Vet', role: 'vet', signer: false, clinic: { id: 'c1', name: 'Clínica Norte' } },
  staff: { id: 'u-staff', email: 'staff@x.test', name: 'Sara Staff', role: 'staff', signer: false, clinic: null },
  admin: { id: 'u-admin', email: 'admin@x.test', name: 'Ada Admin', role: 'admin', signer: false, clinic: null },
};

/**
 * Routes are "METHOD /path" (no /api, no query string); an unknown route answers 404.
 * With a user, `signIn()` gives the client that session (the UI decides by role).
 */
export function fakeApi(routes: Record<string, Handler>, user?: Me) {
  const calls: Call[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname.replace(/^\/api/, ''),
      query: url.searchParams,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const handler =
      call.path === '/auth/login' && user ? () => ({ accessToken: 'token', expiresIn: 900, user }) : routes[`${call.method} ${call.path}`];
    const out = handler ? await handler(call) : apiError(404, `no fake for ${call.method} ${call.path}`);
    const status = out instanceof Reply ? out.status : 200;
    const body = out instanceof Reply ? out.body : out;
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  const client = new ApiClient(fetchFn);
  const callsTo = (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path);
  const signIn = () => client.login({ email: user?.email ?? 'nobody@x.test', password: 'x' });
  return { client, calls, callsTo, signIn };
}

function Where() {
  const location = useLocation();
  return <p data-testid="location">{location.pathname}</p>;
}

/** Renders `ui` at `path` (matching `route`) with the app's providers; other paths show where we went. */
export function renderWithApp(ui: ReactNode, opts: { client: ApiClient; route?: string; path?: string }) {
  const router = createMemoryRouter(
    [
      { path: opts.route ?? '/', element: ui },
      { path: '*', element: <Where /> },
    ],
    { initialEntries: [opts.path ?? opts.route ?? '/'] },
  );
  const queryClient = createQueryClient();
  const result = render(
    <AppProviders client={opts.client} queryClient={queryClient}>
      <MantineProvider env="test">
        <RouterProvider router={router} />
      </MantineProvider>
    </AppProviders>,
  );
  return { ...result, router, queryClient };
}

/** A received protocol as GET /protocols/:id answers it. */
export const protocolDetail = (over: Partial<ProtocolDetail> = {}): ProtocolDetail => ({
  id: 'p1',
  code: 'P-2026-00001',
  status: 'received',
  priority: 'routine',
  clinic: { id: 'c1', name: 'Clínica Norte' },
  vet: null,
  animalName: 'Luna',
  species: 'dog',
  ownerName: 'Dueña',
  createdAt: '2026-03-01T10:00:00.000Z',
  receivedAt: '2026-03-01T12:00:00.000Z',
  breed: null,
  sex: 'female',
  ageMonths: 30,
  ownerPhone: null,
  ownerEmail: null,
  samples: [{ type: 'serum', count: 1 }],
  panels: [],
  notes: null,
  receivedBy: null,
  rejectionReason: null,
  version: 7,
  workOrderId: 'wo1',
  reportId: 'r1',
  availableActions: ['start_analysis', 'reject'],
  ...over,
});
