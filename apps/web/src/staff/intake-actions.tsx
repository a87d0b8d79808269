import type { ProtocolDetail } from '@vetlab/shared';
import { ActionButtons } from './action-buttons';

/** Receive / start analysis / reject in the protocol detail header, as the API offers them. */
export function IntakeActions({ protocol }: { protocol: ProtocolDetail }) {
  if (!protocol.availableActions.length) return null;
  return (
    <ActionButtons
      size="sm"
      target={{ id: protocol.id, code: protocol.code, version: protocol.version }}
      actions={protocol.availableActions}
    />
  );
}
