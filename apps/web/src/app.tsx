import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { Page, ProtocolSummary } from '@vetlab/shared';
import { ApiClient } from './api/api-client';
import { LoginForm } from './auth/login-form';
import { ROLE_LABEL } from './labels';
import { LoadProtocols, ProtocolList } from './protocols/protocol-list';
import { ConnectionBadge } from './realtime/connection-badge';
import { useLiveSocket } from './realtime/live-socket';

/** Root: restores a session from the refresh cookie, then shows the login form or the lab. */
export function App({ client }: { client: ApiClient }) {
  const session = useSyncExternalStore(client.subscribe, () => client.current);
  const [restoring, setRestoring] = useState(true);

  useEffect(() => {
    // A reload loses the in-memory token; the refresh cookie, if still valid, brings it back.
    let alive = true;
    void client.refresh().finally(() => alive && setRestoring(false));
    return () => {
      alive = false;
    };
  }, [client]);

  const { status } = useLiveSocket(client, session !== null);
  const loadProtocols = useCallback<LoadProtocols>(
    (q) => client.get<Page<ProtocolSummary>>('/protocols', q),
    [client],
  );

  if (restoring && !session) return <p className="muted center">Cargando…</p>;
  if (!session) return <LoginForm onLogin={(c) => client.login(c)} />;

  const { user } = session;
  return (
    <>
      <header className="topbar">
        <strong className="brand">vetlab</strong>
        <ConnectionBadge status={status} />
        <span className="spacer" />
        <span className="who">
          {user.name} · {ROLE_LABEL[user.role] ?? user.role}
          {user.clinic && <span className="muted"> · {user.clinic.name}</span>}
        </span>
        <button type="button" onClick={() => void client.logout()}>
          Cerrar sesión
        </button>
      </header>
      <main className="content">
        <ProtocolList load={loadProtocols} />
      </main>
    </>
  );
}
