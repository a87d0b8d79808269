import { ProtocolAction, ProtocolStatus } from './enums';

/**
 * The protocol status machine, in one place. `reported` is reached only by finalizing a report,
 * so it is a legal transition but never a manual action.
 */
export const PROTOCOL_TRANSITIONS: Readonly<Record<ProtocolStatus, readonly ProtocolStatus[]>> = {
  [ProtocolStatus.Submitted]: [ProtocolStatus.Received, ProtocolStatus.Rejected],
  [ProtocolStatus.Received]: [ProtocolStatus.InAnalysis, ProtocolStatus.Rejected],
  [ProtocolStatus.InAnalysis]: [ProtocolStatus.Reported],
  [ProtocolStatus.Reported]: [],
  [ProtocolStatus.Rejected]: [],
};

export const ACTION_TARGET: Readonly<Record<ProtocolAction, ProtocolStatus>> = {
  [ProtocolAction.Receive]: ProtocolStatus.Received,
  [ProtocolAction.StartAnalysis]: ProtocolStatus.InAnalysis,
  [ProtocolAction.Reject]: ProtocolStatus.Rejected,
};

export function canTransition(from: ProtocolStatus, to: ProtocolStatus): boolean {
  return PROTOCOL_TRANSITIONS[from].includes(to);
}

export type TransitionCheck =
  | { ok: true; to: ProtocolStatus }
  | { ok: false; code: 'already' | 'not_allowed'; to: ProtocolStatus; reason: string };

/** Checks a manual action against the machine and explains a refusal in words a person reads. */
export function checkAction(from: ProtocolStatus, action: ProtocolAction): TransitionCheck {
  const to = ACTION_TARGET[action];
  if (from === to) return { ok: false, code: 'already', to, reason: `protocol is already ${to}` };
  if (!canTransition(from, to)) {
    return { ok: false, code: 'not_allowed', to, reason: `cannot go from ${from} to ${to}` };
  }
  return { ok: true, to };
}

/** Actions available from a status (what the UI offers). */
export function availableActions(from: ProtocolStatus): ProtocolAction[] {
  return (Object.values(ProtocolAction) as ProtocolAction[]).filter((a) => checkAction(from, a).ok);
}
