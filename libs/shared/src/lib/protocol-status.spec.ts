import { ProtocolAction, ProtocolStatus } from './enums';
import { ACTION_TARGET, availableActions, canTransition, checkAction, PROTOCOL_TRANSITIONS } from './protocol-status';

const S = ProtocolStatus;
const A = ProtocolAction;
const ALL = Object.values(S);

describe('protocol status machine', () => {
  const allowed: [ProtocolStatus, ProtocolStatus][] = [
    [S.Submitted, S.Received],
    [S.Submitted, S.Rejected],
    [S.Received, S.InAnalysis],
    [S.Received, S.Rejected],
    [S.InAnalysis, S.Reported],
  ];
  const isAllowed = (from: ProtocolStatus, to: ProtocolStatus) => allowed.some(([f, t]) => f === from && t === to);

  it('lists a transition table for every status', () => {
    expect(Object.keys(PROTOCOL_TRANSITIONS).sort()).toEqual([...ALL].sort());
  });

  // Every ordered pair, so a new edge in the table cannot slip in unnoticed.
  const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to, isAllowed(from, to)] as const));
  it.each(pairs)('%s → %s allowed: %s', (from, to, expected) => {
    expect(canTransition(from, to)).toBe(expected);
  });

  it('treats reported and rejected as final', () => {
    expect(PROTOCOL_TRANSITIONS[S.Reported]).toEqual([]);
    expect(PROTOCOL_TRANSITIONS[S.Rejected]).toEqual([]);
  });
});

describe('checkAction', () => {
  it('maps each action to its target status', () => {
    expect(ACTION_TARGET).toEqual({ receive: S.Received, start_analysis: S.InAnalysis, reject: S.Rejected });
  });

  it.each([
    [S.Submitted, A.Receive, S.Received],
    [S.Submitted, A.Reject, S.Rejected],
    [S.Received, A.StartAnalysis, S.InAnalysis],
    [S.Received, A.Reject, S.Rejected],
  ])('allows %s + %s → %s', (from, action, to) => {
    expect(checkAction(from, action)).toEqual({ ok: true, to });
  });

  it.each([
    [S.Received, A.Receive],
    [S.InAnalysis, A.StartAnalysis],
    [S.Rejected, A.Reject],
  ])('refuses %s + %s as "already" with a readable reason', (from, action) => {
    const r = checkAction(from, action);
    expect(r).toMatchObject({ ok: false, code: 'already', to: from });
    expect(r.ok || r.reason).toBe(`protocol is already ${from}`);
  });

  it.each([
    [S.Submitted, A.StartAnalysis],
    [S.InAnalysis, A.Receive],
    [S.InAnalysis, A.Reject],
    [S.Reported, A.Receive],
    [S.Reported, A.StartAnalysis],
    [S.Reported, A.Reject],
    [S.Rejected, A.Receive],
    [S.Rejected, A.StartAnalysis],
  ])('refuses %s + %s as "not_allowed", naming both statuses', (from, action) => {
    const r = checkAction(from, action);
    const to = ACTION_TARGET[action];
    expect(r).toMatchObject({ ok: false, code: 'not_allowed', to });
    expect(r.ok || r.reason).toBe(`cannot go from ${from} to ${to}`);
  });
});

describe('availableActions', () => {
  it.each([
    [S.Submitted, [A.Receive, A.Reject]],
    [S.Received, [A.StartAnalysis, A.Reject]],
    [S.InAnalysis, []],
    [S.Reported, []],
    [S.Rejected, []],
  ])('from %s offers %j', (from, actions) => {
    expect([...availableActions(from)].sort()).toEqual([...actions].sort());
  });

  it('never offers an action that checkAction refuses', () => {
    for (const from of ALL) for (const a of availableActions(from)) expect(checkAction(from, a).ok).toBe(true);
  });
});
