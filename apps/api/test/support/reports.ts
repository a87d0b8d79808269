import { ProtocolDetail, ReportView } from '@vetlab/shared';
import { bearer } from './auth';
import { Fixtures } from './fixtures';
import { protocolBody, submitProtocol } from './protocols';
import { TestApp } from './test-app';

export interface ReadyReport {
  protocol: ProtocolDetail;
  reportId: string;
}

/** Values that fit the fixtures' catalogue (HCT low, GLU high, ALT normal, U-PROT normal). */
const VALUES: Record<string, string> = { HCT: '30', GLU: '200', ALT: '50,5', 'U-PROT': 'negativo' };

/**
 * Through HTTP like the lab does it: a vet submits, staff receive and start the analysis and type
 * every result. The report's draft is then complete and ready to finalize.
 */
export async function readyReport(t: TestApp, f: Fixtures, tokens: { vet: string; staff: string }, opts: { fill?: boolean } = {}): Promise<ReadyReport> {
  const protocol = await submitProtocol(t, tokens.vet, protocolBody(f, { panelIds: [f.panels.cbc.id, f.panels.chem.id, f.panels.urine.id] }));
  await t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(tokens.staff)).send({}).expect(200);
  await t.http().post(`/api/protocols/${protocol.id}/start-analysis`).set(bearer(tokens.staff)).send({}).expect(200);
  if (opts.fill !== false) await fillDraft(t, tokens.staff, protocol.reportId);
  return { protocol, reportId: protocol.reportId };
}

/** Types a value into every row of the report's current draft. */
export async function fillDraft(t: TestApp, token: string, reportId: string, values: Record<string, string> = VALUES): Promise<void> {
  const report = (await t.http().get(`/api/reports/${reportId}`).set(bearer(token)).expect(200)).body as ReportView;
  const [draft] = report.versions;
  await t
    .http()
    .put(`/api/reports/${reportId}/draft`)
    .set(bearer(token))
    .send({ lockVersion: draft.lockVersion, results: draft.rows.map((r) => ({ rowId: r.id, value: values[r.code] ?? '1' })) })
    .expect(200);
}
