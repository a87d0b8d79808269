import { Document, Page, Path, StyleSheet, Svg, Text, View, renderToBuffer } from '@react-pdf/renderer';
import { Priority } from '@vetlab/shared';
import { winAnsiSafe as t } from './helvetica-metrics';
import { labLogoPng } from './lab-logo';
import { Letterhead } from './letterhead';
import { qrPath } from './qr-code';
import { formatsFor, label, wordingFor } from '../i18n/wording';
import { colors } from './report-styles';
import type { WorkOrderPdfData } from './work-order-pdf-data';

const QR_SIZE = 66;
const MARGIN_X = 40;
const CONTENT_WIDTH = 595.28 - 2 * MARGIN_X;

const S = StyleSheet.create({
  page: { paddingTop: 34, paddingBottom: 52, paddingHorizontal: MARGIN_X, fontFamily: 'Helvetica', fontSize: 9, color: colors.text },
  letterhead: { flexDirection: 'row', alignItems: 'center', borderBottomWidth: 1.5, borderBottomColor: colors.brand, paddingBottom: 8, marginBottom: 10 },
  logo: { width: 46, height: 46 },
  labBlock: { width: CONTENT_WIDTH - 46 - 150 - QR_SIZE - 24, marginLeft: 10 },
  labName: { fontFamily: 'Helvetica-Bold', fontSize: 12, color: colors.brand, marginBottom: 3 },
  labLine: { fontSize: 7.5, color: colors.muted, lineHeight: '10pt' },
  titleBlock: { width: 150, alignItems: 'flex-end', paddingRight: 8 },
  docTitle: { fontFamily: 'Helvetica-Bold', fontSize: 11, color: colors.brand, letterSpacing: 0.6, marginBottom: 3 },
  docCode: { fontFamily: 'Helvetica-Bold', fontSize: 10, marginBottom: 2 },
  docVersion: { fontSize: 7.5, color: colors.muted },
  qr: { width: QR_SIZE, height: QR_SIZE },
  priority: { flexDirection: 'row', alignItems: 'center', borderRadius: 3, paddingVertical: 5, paddingHorizontal: 10, marginBottom: 8 },
  priorityText: { fontFamily: 'Helvetica-Bold', fontSize: 10, color: '#ffffff', letterSpacing: 0.6 },
  info: { flexDirection: 'row', backgroundColor: colors.panel, borderWidth: 0.75, borderColor: colors.border, borderRadius: 3, paddingVertical: 8, marginBottom: 8 },
  infoCol: { paddingHorizontal: 10 },
  infoColMid: { borderLeftWidth: 0.75, borderRightWidth: 0.75, borderColor: colors.border },
  infoHeading: { fontFamily: 'Helvetica-Bold', fontSize: 7, color: colors.brand, letterSpacing: 0.8, marginBottom: 5 },
  field: { flexDirection: 'row', minHeight: 13 },
  fieldLabel: { width: 58, fontSize: 7.5, color: colors.muted, paddingTop: 0.5 },
  fieldValue: { fontFamily: 'Helvetica-Bold', fontSize: 8.5, lineHeight: '10.5pt' },
  blockTitle: { fontFamily: 'Helvetica-Bold', fontSize: 10, color: colors.brand, marginTop: 6, marginBottom: 4 },
  instructions: { backgroundColor: colors.panel, borderLeftWidth: 2.5, borderLeftColor: colors.brand, paddingHorizontal: 8, paddingVertical: 5 },
  instructionsText: { fontSize: 9, lineHeight: '12.5pt' },
  section: { borderWidth: 0.75, borderColor: colors.border, borderRadius: 3, marginBottom: 6 },
  sectionHead: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', backgroundColor: colors.brandSoft, paddingHorizontal: 8, paddingVertical: 4 },
  sectionTitle: { fontFamily: 'Helvetica-Bold', fontSize: 9.5, color: colors.brand },
  sectionSample: { fontSize: 8, color: colors.brand },
  requirement: { fontSize: 8.5, paddingHorizontal: 8, paddingTop: 4, paddingBottom: 2 },
  requirementLabel: { fontFamily: 'Helvetica-Bold' },
  analytes: { flexDirection: 'row', paddingHorizontal: 8, paddingBottom: 5 },
  analyteCol: { width: (CONTENT_WIDTH - 18) / 2, fontSize: 8.5, lineHeight: '13pt' },
  footer: { position: 'absolute', bottom: 20, left: MARGIN_X, right: MARGIN_X, flexDirection: 'row', justifyContent: 'space-between', borderTopWidth: 0.75, borderTopColor: colors.border, paddingTop: 5 },
  footerText: { fontSize: 7, color: colors.muted },
});

const PRIORITY_COLOR: Record<string, string> = { [Priority.Urgent]: '#b54708', [Priority.Stat]: colors.high };

function Field({ label, value, width }: { label: string; value: string | null; width: number }) {
  return (
    <View style={S.field}>
      <Text style={S.fieldLabel}>{label}</Text>
      <Text style={[S.fieldValue, { width: width - 58, maxLines: 2 }]}>{t(value || '—')}</Text>
    </View>
  );
}

function Qr({ code }: { code: string }) {
  const qr = qrPath(code);
  const quiet = 2;
  const side = qr.size + 2 * quiet;
  return (
    <Svg style={S.qr} viewBox={`${-quiet} ${-quiet} ${side} ${side}`}>
      <Path d={qr.path} fill="#000000" />
    </Svg>
  );
}

function InfoBlock({ data }: { data: WorkOrderPdfData }) {
  const a = data.animal;
  const w = wordingFor(data.language);
  const f = formatsFor(data.language);
  const d = w.doc;
  const [w1, w2, w3] = [150, 160, CONTENT_WIDTH - 310];
  const inner = (x: number) => x - 20;
  const samples = data.samples.map((s) => `${s.count} × ${label(w.sampleTypes, s.type)}`).join(', ');
  return (
    <View style={S.info}>
      <View style={[S.infoCol, { width: w1 }]}>
        <Text style={S.infoHeading}>{d.protocolHeading}</Text>
        <Field width={inner(w1)} label={d.code} value={data.protocol.code} />
        <Field width={inner(w1)} label={d.requested} value={f.date(data.protocol.createdAt)} />
        <Field width={inner(w1)} label={d.received} value={f.date(data.protocol.receivedAt)} />
        <Field width={inner(w1)} label={w.workOrder.priority} value={label(w.priorities, data.priority)} />
        <Field width={inner(w1)} label={w.workOrder.samples} value={samples || null} />
      </View>
      <View style={[S.infoCol, S.infoColMid, { width: w2 }]}>
        <Text style={S.infoHeading}>{d.patientHeading}</Text>
        <Field width={inner(w2)} label={d.name} value={a.name} />
        <Field width={inner(w2)} label={d.species} value={label(w.species, a.species)} />
        <Field width={inner(w2)} label={d.breed} value={a.breed} />
        <Field width={inner(w2)} label={d.sex} value={label(w.sex, a.sex)} />
        <Field width={inner(w2)} label={d.age} value={a.age} />
      </View>
      <View style={[S.infoCol, { width: w3 }]}>
        <Text style={S.infoHeading}>{d.requesterHeading}</Text>
        <Field width={inner(w3)} label={d.owner} value={data.owner.name} />
        <Field width={inner(w3)} label={d.clinic} value={data.clinic.name} />
        <Field width={inner(w3)} label={d.vet} value={data.vet?.name ?? null} />
      </View>
    </View>
  );
}

/** A section: its sample and requirement, then its analyses in two columns (one text each: cheap to lay out). */
function SectionBlock({ s, data }: { s: WorkOrderPdfData['sections'][number]; data: WorkOrderPdfData }) {
  const w = wordingFor(data.language);
  const lines = s.analytes.map((a) => t(`${a.code} — ${a.name}`));
  const half = Math.ceil(lines.length / 2);
  return (
    <View style={S.section} wrap={lines.length > 60}>
      <View style={S.sectionHead}>
        <Text style={S.sectionTitle}>{t(`${label(w.sections, s.section)} (${s.analytes.length})`)}</Text>
        <Text style={S.sectionSample}>{t(label(w.sampleTypes, s.sampleType))}</Text>
      </View>
      <Text style={S.requirement}>
        <Text style={S.requirementLabel}>{w.workOrder.sample}</Text>
        {t(s.requirement)}
      </Text>
      <View style={S.analytes}>
        <Text style={S.analyteCol}>{lines.slice(0, half).join('\n')}</Text>
        <Text style={S.analyteCol}>{lines.slice(half).join('\n')}</Text>
      </View>
    </View>
  );
}

let logoUri: string | null = null;

export function WorkOrderDocument({ data }: { data: WorkOrderPdfData }) {
  logoUri ??= `data:image/png;base64,${labLogoPng().toString('base64')}`;
  const analyses = data.sections.reduce((n, s) => n + s.analytes.length, 0);
  // Dated by the content version, not the clock: every render of a version gives the same bytes.
  const saved = new Date(data.updatedAt);
  const w = wordingFor(data.language);
  const wo = w.workOrder;
  const f = formatsFor(data.language);
  return (
    <Document
      creationDate={saved}
      modificationDate={saved}
      title={t(wo.docTitle(data.protocol.code))}
      author={t(data.lab.name)}
      subject={wo.docSubject(data.version)}
      creator="vetlab"
      producer="vetlab"
      language={w.locale}
    >
      <Page size="A4" style={S.page}>
        <Letterhead styles={S} lab={data.lab} logo={logoUri} title={wo.title} protocolLine={w.doc.protocol(data.protocol.code)} version={wo.versionLine(data.version, f.dateTime(data.updatedAt))}>
          <Qr code={data.protocol.code} />
        </Letterhead>
        {data.priority !== Priority.Routine && (
          <View style={[S.priority, { backgroundColor: PRIORITY_COLOR[data.priority] ?? colors.brand }]}>
            <Text style={S.priorityText}>{t(wo.priorityBanner(label(w.priorities, data.priority).toUpperCase()))}</Text>
          </View>
        )}
        <InfoBlock data={data} />
        {data.instructions && (
          <View wrap={false}>
            <Text style={S.blockTitle}>{wo.instructions}</Text>
            <View style={S.instructions}>
              <Text style={S.instructionsText}>{t(data.instructions)}</Text>
            </View>
          </View>
        )}
        <Text style={S.blockTitle} minPresenceAhead={60}>{t(wo.requestedAnalyses(analyses))}</Text>
        {data.sections.map((s) => (
          <SectionBlock key={s.section} s={s} data={data} />
        ))}
        <View style={S.footer} fixed>
          <Text style={S.footerText}>{t(wo.footer(data.protocol.code, data.version, data.lab.name))}</Text>
          <Text style={S.footerText} render={({ pageNumber, totalPages }) => w.doc.page(pageNumber, totalPages)} />
        </View>
      </Page>
    </Document>
  );
}

/** Renders the work order (blocks this thread for the whole render). */
export async function renderWorkOrderPdf(data: WorkOrderPdfData): Promise<{ pdf: Buffer; pages: number }> {
  const pdf = await renderToBuffer(<WorkOrderDocument data={data} />);
  return { pdf, pages: countPages(pdf) };
}

/** Pages of a React-PDF output: its page objects are written as `/Type /Page` (not `/Pages`). */
function countPages(pdf: Buffer): number {
  const matches = pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g);
  return matches?.length ?? 1;
}
