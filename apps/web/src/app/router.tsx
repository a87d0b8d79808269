import { Center, Loader } from '@mantine/core';
import { Role } from '@vetlab/shared';
import { lazy, ReactNode, Suspense, useEffect, useState } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { LoginPage } from '../auth/login-page';
import { SubmitProtocolPage } from '../intake/submit-protocol-page';
import { ProtocolDetailPage } from '../protocols/protocol-detail-page';
import { ProtocolsPage } from '../protocols/protocols-page';
import { IntakeQueuePage } from '../staff/intake-queue-page';
import { BulkHistoryPage } from '../bulk/bulk-history-page';
import { BulkRunPage } from '../bulk/bulk-run-page';
import { PeoplePage } from '../admin/people-page';
import { PersonPage } from '../admin/person-page';
import { AccountPage } from '../account/account-page';
import { SetPasswordPage } from '../account/set-password-page';
import { AuditPage } from '../audit/audit-page';
import { ClinicPage } from '../clinics/clinic-page';
import { ClinicsPage } from '../clinics/clinics-page';
import { NotFoundPage } from './not-found-page';
import { Layout } from './layout';
import { LiveProvider } from './live';
import { useApi, useSession } from './providers';

/** The operations console and its charting library load only when an admin opens it. */
const OpsPage = lazy(() => import('../ops/ops-page').then((m) => ({ default: m.OpsPage })));
/** The public verification page (a report's QR code): loads on its own, without the signed-in app. */
const VerificationPage = lazy(() => import('../verification/verification-page').then((m) => ({ default: m.VerificationPage })));

const pageLoader = (
  <Center h="100vh">
    <Loader aria-label="loading" />
  </Center>
);

/** Restores the session from the refresh cookie once per page load before deciding anything. */
function SessionGate({ children }: { children: ReactNode }) {
  const api = useApi();
  const [restoring, setRestoring] = useState(api.current === null);
  useEffect(() => {
    if (!restoring) return;
    let alive = true;
    // A server that cannot answer now shows the sign-in form, whose own request then says why.
    void api
      .refresh()
      .catch(() => null)
      .finally(() => alive && setRestoring(false));
    return () => {
      alive = false;
    };
  }, [api, restoring]);
  if (restoring) {
    return (
      <Center h="100vh">
        <Loader aria-label="loading" />
      </Center>
    );
  }
  return <>{children}</>;
}

/** Signed-in routes; without a session, go to /login and come back to this very page after. */
function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <LiveProvider>
      <Outlet />
    </LiveProvider>
  );
}

function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const session = useSession();
  if (!session || !roles.includes(session.user.role)) return <NotFoundPage />;
  return <>{children}</>;
}

function Home() {
  const session = useSession();
  return <Navigate to={session?.user.role === Role.Staff ? '/intake' : '/protocols'} replace />;
}

export const routes = [
  { path: '/login', element: <LoginPage /> },
  // Public: a person sets their password through the one-time link they were mailed.
  { path: '/password/:token', element: <SetPasswordPage /> },
  // Public, outside the signed-in layout: anyone holding a report opens it from its QR code.
  {
    path: '/verificar/:code?',
    element: (
      <Suspense fallback={pageLoader}>
        <VerificationPage />
      </Suspense>
    ),
  },
  {
    element: <RequireSession />,
    children: [
      {
        element: <Layout />,
        children: [
          { path: '/', element: <Home /> },
          { path: '/protocols', element: <ProtocolsPage /> },
          { path: '/protocols/new', element: <SubmitProtocolPage /> },
          { path: '/protocols/:id', element: <ProtocolDetailPage /> },
          {
            path: '/intake',
            element: (
              <RequireRole roles={[Role.Staff, Role.Admin]}>
                <IntakeQueuePage />
              </RequireRole>
            ),
          },
          {
            path: '/bulk',
            element: (
              <RequireRole roles={[Role.Admin]}>
                <BulkHistoryPage />
              </RequireRole>
            ),
          },
          {
            path: '/bulk/:id',
            element: (
              <RequireRole roles={[Role.Admin]}>
                <BulkRunPage />
              </RequireRole>
            ),
          },
          {
            path: '/admin/people',
            element: (
              <RequireRole roles={[Role.Admin]}>
                <PeoplePage />
              </RequireRole>
            ),
          },
          {
            path: '/admin/people/:id',
            element: (
              <RequireRole roles={[Role.Admin]}>
                <PersonPage />
              </RequireRole>
            ),
          },
          { path: '/account', element: <AccountPage /> },
          {
            path: '/admin/clinics',
            element: (
              <RequireRole roles={[Role.Admin]}>
                <ClinicsPage />
              </RequireRole>
            ),
          },
          // Admins edit any clinic; a vet reads their own (another one is the API's 404).
          {
            path: '/clinics/:id',
            element: (
              <RequireRole roles={[Role.Admin, Role.Vet]}>
                <ClinicPage />
              </RequireRole>
            ),
          },
          {
            path: '/audit',
            element: (
              <RequireRole roles={[Role.Staff, Role.Admin]}>
                <AuditPage />
              </RequireRole>
            ),
          },
          {
            path: '/ops',
            element: (
              <RequireRole roles={[Role.Admin]}>
                <Suspense
                  fallback={
                    <Center p="xl">
                      <Loader aria-label="loading" />
                    </Center>
                  }
                >
                  <OpsPage />
                </Suspense>
              </RequireRole>
            ),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export function AppRouter() {
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <SessionGate>
      <RouterProvider router={router} />
    </SessionGate>
  );
}
