import { Document, Font, Image, Page, Text, View } from '@react-pdf/renderer';
import { winAnsiSafe } from './helvetica-metrics';
import { labLogoPng } from './lab-logo';
import { Letterhead } from './letterhead';
import { LaidOutPage, PageBlock, pageBudget, paginateReport } from './paginate-report';
import { DocumentInfo, partsOf, renderInParts } from './render-in-parts';
import { SectionView } from './report-table';
import { formatsFor, label, wordingFor } from '../i18n/wording';
import { REPORT_LAYOUT as L } from './report-layout';
import type { ReportPdfData } from './report-pdf-data';
import { S } from './report-styles';
import { VerificationQr } from './verification-qr';

// Once per process: registering per render leaks. Words are never hyphenated (analyte names and
// values must read exactly as written), which also spares the hyphenation dictionary's cost.
Font.registerHyphenationCallback((word) => [word]);

/** Every text goes through this: the standard PDF fonts print WinAnsi only. */
const t = winAnsiSafe;

/** The document's words and formats, from the language in its data. */
const wordsOf = (data: Pick<ReportPdfData, 'language'>) => ({ w: wordingFor(data.language), f: formatsFor(data.language) });

function ObservationsView({ block, data }: { block: Extract<PageBlock, { kind: 'observations' }>; data: ReportPdfData }) {
  const { w } = wordsOf(data);
  return (
    <View style={S.observations}>
      <Text style={S.blockTitle}>
        {w.report.observations}
        {block.continued ? <Text style={S.cont}>{w.doc.continued}</Text> : null}
      </Text>
      <View style={S.observationsBox}>
        <Text style={S.observationsText}>{block.lines.join('\n')}</Text>
      </View>
    </View>
  );
}

function AmendmentView({ block }: { block: Extract<PageBlock, { kind: 'amendment' }> }) {
  return (
    <View style={S.amendment}>
      <Text style={S.amendmentText}>{block.lines.join('\n')}</Text>
    </View>
  );
}

/**
 * The mark of an annulled version, over everything else on every page: "ANULADO / VOID" large
 * across the middle, then when and why it was annulled.
 */
function VoidStamp({ data }: { data: ReportPdfData }) {
  if (!data.annulment) return null;
  const { w, f } = wordsOf(data);
  return (
    <View style={S.voidLayer}>
      <Text style={S.voidMark}>{w.report.voidMark}</Text>
      <View style={S.voidNoteBox}>
        <Text style={S.voidNote}>{t(w.report.voidNote(f.date(data.annulment.at), data.annulment.reason))}</Text>
      </View>
    </View>
  );
}

function ClosingView({ data }: { data: ReportPdfData }) {
  const signature = data.signer.signaturePngBase64;
  const { w, f } = wordsOf(data);
  return (
    <View style={S.closing}>
      <View style={S.closingNotes}>
        <Text style={S.noteTitle}>{w.report.validation}</Text>
        <Text style={S.note}>{t(w.report.validatedBy(data.signer.name, f.dateTime(data.finalizedAt)))}</Text>
        <Text style={S.note}>
          {w.report.verificationCode}: <Text style={S.noteStrong}>{data.verificationCode}</Text>
          {w.report.verificationCodeNote}
        </Text>
        <Text style={S.note}>{w.report.outOfRangeNote}</Text>
        <Text style={S.note}>{w.report.scopeNote}</Text>
      </View>
      <VerificationQr url={data.verificationUrl} />
      <View style={S.signatureBox}>
        {signature ? <Image style={S.signatureImage} src={`data:image/png;base64,${signature}`} /> : <View style={S.signatureImage} />}
        <View style={S.signatureRule} />
        <Text style={S.signerName}>{t(data.signer.name)}</Text>
        <Text style={S.signerRole}>{w.report.signerRole}</Text>
      </View>
    </View>
  );
}

/** A label and its value; the value may take `lines` lines, then it is cut with an ellipsis. */
function Field({ label, value, width, lines = 1 }: { label: string; value: string | null; width: number; lines?: number }) {
  return (
    <View style={S.field}>
      <Text style={S.fieldLabel}>{label}</Text>
      <Text style={[S.fieldValue, { width: width - L.infoBlock.labelWidth, maxLines: lines }]}>{t(value || '—')}</Text>
    </View>
  );
}

function InfoBlock({ data }: { data: ReportPdfData }) {
  const a = data.animal;
  const { w: words, f } = wordsOf(data);
  const d = words.doc;
  const [w1, w2, w3] = L.infoBlock.columns;
  const inner = (w: number) => w - 2 * L.infoBlock.paddingX;
  const [p, q, r] = [inner(w1), inner(w2) - 1.5, inner(w3)];
  return (
    <View style={S.info}>
      <View style={[S.infoCol, { width: w1 }]}>
        <Text style={S.infoHeading}>{d.protocolHeading}</Text>
        <Field width={p} label={d.code} value={data.protocol.code} />
        <Field width={p} label={d.requested} value={f.date(data.protocol.createdAt)} />
        <Field width={p} label={d.received} value={f.date(data.protocol.receivedAt)} />
        <Field width={p} label={words.report.issued} value={f.date(data.finalizedAt)} />
        <Field width={p} label={words.report.version} value={String(data.version)} />
      </View>
      <View style={[S.infoCol, S.infoColMid, { width: w2 }]}>
        <Text style={S.infoHeading}>{d.patientHeading}</Text>
        <Field width={q} label={d.name} value={a.name} />
        <Field width={q} label={d.species} value={label(words.species, a.species)} />
        <Field width={q} label={d.breed} value={a.breed} />
        <Field width={q} label={d.sex} value={label(words.sex, a.sex)} />
        <Field width={q} label={d.age} value={a.age} />
      </View>
      <View style={[S.infoCol, { width: w3 }]}>
        <Text style={S.infoHeading}>{d.requesterHeading}</Text>
        <Field width={r} label={d.owner} value={data.owner.name} />
        <Field width={r} label={d.clinic} value={data.clinic.name} lines={2} />
        <Field width={r} label={d.vet} value={data.vet?.name ?? null} lines={2} />
      </View>
    </View>
  );
}

function RunningHeader({ data }: { data: ReportPdfData }) {
  const { w } = wordsOf(data);
  return (
    <View style={S.running}>
      <Text style={S.runningLeft}>{t(data.lab.name)}</Text>
      <Text style={S.runningRight}>{t(w.report.running(data.protocol.code, data.animal.name, label(w.species, data.animal.species)))}</Text>
    </View>
  );
}

function Footer({ data, page, total }: { data: ReportPdfData; page: number; total: number }) {
  const { w, f } = wordsOf(data);
  return (
    <View style={S.footer}>
      <View style={S.footerLine}>
        <Text style={[S.footerText, S.footerLeft]}>{t(`${w.doc.protocol(data.protocol.code)} · ${w.report.versionLabel(data.version, data.supersedesVersion)}`)}</Text>
        <Text style={[S.footerPage, S.footerRight]}>{w.doc.page(page, total)}</Text>
      </View>
      <View style={S.footerLine}>
        <Text style={[S.footerText, S.footerLeft]}>
          {w.report.verificationCode}: <Text style={S.footerCode}>{data.verificationCode}</Text>
          {t(` · ${data.lab.name}`)}
        </Text>
        <Text style={[S.footerText, S.footerRight]}>{w.report.issuedOn(f.date(data.finalizedAt))}</Text>
      </View>
    </View>
  );
}

function ReportPage({ data, page, total, logo }: { data: ReportPdfData; page: LaidOutPage; total: number; logo: string }) {
  const { w } = wordsOf(data);
  return (
    // wrap={false}: the paginator already decided what fits; React-PDF must not split this page.
    <Page size="A4" style={S.page} wrap={false}>
      {page.number === 1 ? (
        <>
          <Letterhead
            styles={S}
            lab={data.lab}
            logo={logo}
            title={w.report.title}
            protocolLine={w.doc.protocol(data.protocol.code)}
            version={w.report.versionLabel(data.version, data.supersedesVersion)}
          />
          <InfoBlock data={data} />
        </>
      ) : (
        <RunningHeader data={data} />
      )}
      {/* The body is exactly the paginator's budget, so the footer (after it) sits at the bottom. */}
      <View style={[S.body, { height: pageBudget(page.number) }]}>
        {page.blocks.map((block, i) =>
          block.kind === 'section' ? (
            <SectionView key={i} block={block} language={data.language} />
          ) : block.kind === 'amendment' ? (
            <AmendmentView key={i} block={block} />
          ) : block.kind === 'observations' ? (
            <ObservationsView key={i} block={block} data={data} />
          ) : (
            <ClosingView key={i} data={data} />
          ),
        )}
      </View>
      <Footer data={data} page={page.number} total={total} />
      <VoidStamp data={data} />
    </Page>
  );
}

let logoUri: string | null = null;

/** The document's metadata, dated by its content, not the clock (which React-PDF uses by default, and which also feeds the file id): every render of a version gives the same bytes. */
export function reportInfo(data: ReportPdfData): DocumentInfo {
  const issued = new Date(data.finalizedAt);
  const { w } = wordsOf(data);
  return {
    creationDate: issued,
    modificationDate: issued,
    title: t(w.report.docTitle(data.protocol.code, data.animal.name)),
    author: t(data.lab.name),
    subject: w.report.docSubject(w.report.versionLabel(data.version, data.supersedesVersion)),
    creator: 'vetlab',
    producer: 'vetlab',
    language: w.locale,
  };
}

/** Some of the report's pages (`total` in all) as one React-PDF document. */
export function ReportDocument({ data, pages, total = pages.length }: { data: ReportPdfData; pages: LaidOutPage[]; total?: number }) {
  logoUri ??= `data:image/png;base64,${labLogoPng().toString('base64')}`;
  const info = reportInfo(data);
  return (
    <Document
      creationDate={info.creationDate}
      modificationDate={info.modificationDate}
      title={info.title}
      author={info.author}
      subject={info.subject}
      creator={info.creator}
      producer={info.producer}
      language={info.language}
    >
      {pages.map((page) => (
        <ReportPage key={page.number} data={data} page={page} total={total} logo={logoUri as string} />
      ))}
    </Document>
  );
}

/**
 * Pages laid out and drawn at a time (render-in-parts.ts). Two: most reports are then one part,
 * and in trials on a render thread parts of one page saved only a few MiB more on a 20-page report
 * (+31 against +37 MiB over idle) for one part's overhead per page.
 */
export const REPORT_PAGES_PER_PART = 2;

/** Lays the report out in explicit pages and renders it (blocks this thread for the whole render). */
export async function renderReportPdf(data: ReportPdfData): Promise<{ pdf: Buffer; pages: number }> {
  const pages = paginateReport(data);
  const parts = partsOf(pages, REPORT_PAGES_PER_PART).map((part) => <ReportDocument data={data} pages={part} total={pages.length} />);
  const pdf = await renderInParts(reportInfo(data), parts);
  return { pdf, pages: pages.length };
}
