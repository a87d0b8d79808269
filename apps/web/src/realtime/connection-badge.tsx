import type { LiveStatus } from './live-socket';

const LABEL: Record<LiveStatus, string> = {
  connected: 'En vivo',
  connecting: 'Conectando…',
  disconnected: 'Sin conexión en vivo',
};

/** Whether live updates (job progress, ready reports) are reaching this page. */
export function ConnectionBadge({ status }: { status: LiveStatus }) {
  return (
    <span className={`badge badge-${status}`} role="status" aria-live="polite" title="Actualizaciones en vivo">
      <span className="dot" aria-hidden="true" />
      {LABEL[status]}
    </span>
  );
}
