import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ACTION_TARGET, ConflictCode, ErrorCode, ProtocolAction, ProtocolDetail, ProtocolStatus } from '@vetlab/shared';
import { ApiError } from '../api/api-client';
import { useApi } from '../app/providers';
import type { MessageKey } from '../i18n/catalogue';
import { Translate, useT } from '../i18n/i18n';
import { errorMessage, notifyError, notifySuccess } from '../notifications/notify';

/** What a row or the detail header knows about the protocol it acts on. */
export interface ActionTarget {
  id: string;
  code: string;
  /** Optimistic-lock version the user saw; a change by someone else since then is refused (409). */
  version?: number;
}

export interface ActionInput {
  action: ProtocolAction;
  reason?: string;
}

const PATH: Record<ProtocolAction, string> = { receive: 'receive', start_analysis: 'start-analysis', reject: 'reject' };

export const ACTION_LABEL: Record<ProtocolAction, MessageKey> = {
  receive: 'intake.action.receive',
  start_analysis: 'intake.action.startAnalysis',
  reject: 'intake.action.reject',
};

const DONE: Record<ProtocolAction, MessageKey> = {
  receive: 'intake.done.receive',
  start_analysis: 'intake.done.startAnalysis',
  reject: 'intake.done.reject',
};

const STATUS_WORD: Record<ProtocolStatus, MessageKey> = {
  submitted: 'status.submitted',
  received: 'status.received',
  in_analysis: 'status.in_analysis',
  reported: 'status.reported',
  rejected: 'status.rejected',
};
const statusWord = (t: Translate, s: ProtocolStatus) => t(STATUS_WORD[s]).toLocaleLowerCase();

/**
 * The API's reason for a 409 in the reader's language, from its code: someone else already moved
 * the protocol (to the action's own target status), the move is no longer allowed, or our version
 * is stale.
 */
export function conflictReason(t: Translate, err: ApiError, action: ProtocolAction): string {
  switch (err.body?.code) {
    case ConflictCode.ProtocolAlreadyInStatus:
      return t('intake.conflict.already', { status: statusWord(t, ACTION_TARGET[action]) });
    case ConflictCode.ProtocolTransitionNotAllowed:
      return t('intake.conflict.notAllowed');
    case ErrorCode.Stale:
      return t('intake.conflict.stale');
    default:
      return errorMessage(t, err);
  }
}

/** Receive / start analysis / reject one protocol; refreshes the lists and the protocol either way. */
export function useProtocolAction(target: ActionTarget) {
  const api = useApi();
  const qc = useQueryClient();
  const t = useT();
  return useMutation({
    mutationFn: ({ action, reason }: ActionInput) => {
      const version = target.version === undefined ? {} : { version: target.version };
      return api.post<ProtocolDetail>(`/protocols/${target.id}/${PATH[action]}`, action === 'reject' ? { reason, ...version } : version);
    },
    onSuccess: (detail, { action }) => {
      qc.setQueryData(['protocol', target.id], detail);
      notifySuccess(t(DONE[action], { code: target.code }));
    },
    onError: (err, { action }) => {
      // A reject's 400 (the reason) is shown on the modal's field; everything else here.
      if (err instanceof ApiError && err.status === 400 && action === 'reject') return;
      if (err instanceof ApiError && err.status === 409) {
        notifications.show({
          color: 'orange',
          title: t('intake.conflict.title', { code: target.code }),
          message: conflictReason(t, err, action),
          autoClose: 10_000,
        });
        return;
      }
      notifyError(t, err, t('intake.failed', { action: t(ACTION_LABEL[action]).toLocaleLowerCase(), code: target.code }));
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['protocols'] });
      void qc.invalidateQueries({ queryKey: ['protocol', target.id] });
    },
  });
}
