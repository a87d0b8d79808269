import { Button, Group, MantineSize } from '@mantine/core';
import { ProtocolAction } from '@vetlab/shared';
import { useState } from 'react';
import { useT } from '../i18n/i18n';
import { ACTION_LABEL, ActionTarget, useProtocolAction } from './protocol-actions';
import { RejectModal } from './reject-modal';

interface Props {
  target: ActionTarget;
  actions: ProtocolAction[];
  size?: MantineSize;
  /** id of the element naming the protocol (the row's code cell), for screen readers. */
  describedBy?: string;
  /**
   * Opens the reject dialog somewhere that outlives this component (a list row can vanish on a
   * live refresh while the user types the reason). Without it, the dialog lives here.
   */
  onReject?: (target: ActionTarget) => void;
}

/** The manual transitions offered for one protocol; reject asks for a reason first. */
export function ActionButtons({ target, actions, size = 'xs', describedBy, onReject }: Props) {
  const t = useT();
  const mutation = useProtocolAction(target);
  const [rejecting, setRejecting] = useState<ActionTarget | null>(null);
  const pending = mutation.isPending ? mutation.variables?.action : undefined;
  const button = (action: ProtocolAction, onClick: () => void, color?: string, variant = 'filled') => (
    <Button
      key={action}
      size={size}
      color={color}
      variant={variant}
      aria-describedby={describedBy}
      loading={pending === action}
      disabled={mutation.isPending && pending !== action}
      onClick={onClick}
    >
      {t(ACTION_LABEL[action])}
    </Button>
  );

  return (
    <Group gap="xs" wrap="nowrap">
      {actions.includes('receive') && button('receive', () => mutation.mutate({ action: 'receive' }))}
      {actions.includes('start_analysis') && button('start_analysis', () => mutation.mutate({ action: 'start_analysis' }))}
      {actions.includes('reject') && button('reject', () => (onReject ? onReject(target) : setRejecting(target)), 'red', 'light')}
      {!onReject && <RejectProtocolModal target={rejecting} onClose={() => setRejecting(null)} />}
    </Group>
  );
}

/** The reject dialog for one protocol (none when target is null), with its own request. */
export function RejectProtocolModal({ target, onClose }: { target: ActionTarget | null; onClose: () => void }) {
  const mutation = useProtocolAction(target ?? { id: '', code: '' });
  return (
    <RejectModal
      opened={target !== null}
      code={target?.code ?? ''}
      busy={mutation.isPending}
      onClose={onClose}
      onReject={(reason) => mutation.mutateAsync({ action: 'reject', reason })}
    />
  );
}
