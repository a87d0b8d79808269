import { Document, Font, Image, Page, Text, View, renderToBuffer } from '@react-pdf/renderer';
import { winAnsiSafe } from './helvetica-metrics';
import { labLogoPng } from './lab-logo';
import { Letterhead } from './letterhead';
import { LaidOutPage, PageBlock, pageBudget, paginateReport } from './paginate-report';
import { SectionView } from './report-table';
import { formatDate, formatDateTime, sexLabel, speciesLabel, versionLabel } from './report-labels';
import { lifeText } from './report-life-labels';
import { REPORT_LAYOUT as L } from './report-layout';
import type { ReportPdfData } from './report-pdf-data';
import { S } from './report-styles';

// Once per process: registering per render leaks. Words are never hyphenated (analyte names and
// values must read exactly as written), which also spares the hyphenation dictionary's cost.
Font.registerHyphenationCallback((word) => [word]);

/** Every text goes through this: the standard PDF fonts print WinAnsi only. */
const t = winAnsiSafe;

function ObservationsView({ block }: { block: Extract<PageBlock, { kind: 'observations' }> }) {
  return (
    <View style={S.observations}>
      <Text style={S.blockTitle}>
        Observaciones{block.continued ? <Text style={S.cont}> (cont.)</Text> : null}
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
  const words = lifeText(data.language);
  return (
    <View style={S.voidLayer}>
      <Text style={S.voidMark}>{words.voidMark}</Text>
      <View style={S.voidNoteBox}>
        <Text style={S.voidNote}>{t(words.voidNote(formatDate(data.annulment.at), data.annulment.reason))}</Text>
      </View>
    </View>
  );
}

function ClosingView({ data }: { data: ReportPdfData }) {
  const signature = data.signer.signaturePngBase64;
  return (
    <View style={S.closing}>
      <View style={S.closingNotes}>
        <Text style={S.noteTitle}>Validación</Text>
        <Text style={S.note}>
          Informe validado electrónicamente por {t(data.signer.name)} el {formatDateTime(data.finalizedAt)}.
        </Text>
        <Text style={S.note}>
          Código de verificación: <Text style={S.noteStrong}>{data.verificationCode}</Text>. Identifica el contenido de esta versión del
          informe.
        </Text>
        <Text style={S.note}>Los valores fuera del intervalo de referencia se muestran en negrita y marcados como alto, bajo o anormal.</Text>
        <Text style={S.note}>
          Los resultados se refieren exclusivamente a la muestra recibida. Este informe solo puede reproducirse de forma íntegra.
        </Text>
      </View>
      <View style={S.signatureBox}>
        {signature ? <Image style={S.signatureImage} src={`data:image/png;base64,${signature}`} /> : <View style={S.signatureImage} />}
        <View style={S.signatureRule} />
        <Text style={S.signerName}>{t(data.signer.name)}</Text>
        <Text style={S.signerRole}>Responsable de validación</Text>
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
  const [w1, w2, w3] = L.infoBlock.columns;
  const inner = (w: number) => w - 2 * L.infoBlock.paddingX;
  const [p, q, r] = [inner(w1), inner(w2) - 1.5, inner(w3)];
  return (
    <View style={S.info}>
      <View style={[S.infoCol, { width: w1 }]}>
        <Text style={S.infoHeading}>PROTOCOLO</Text>
        <Field width={p} label="Código" value={data.protocol.code} />
        <Field width={p} label="Solicitud" value={formatDate(data.protocol.createdAt)} />
        <Field width={p} label="Recepción" value={formatDate(data.protocol.receivedAt)} />
        <Field width={p} label="Emisión" value={formatDate(data.finalizedAt)} />
        <Field width={p} label="Versión" value={String(data.version)} />
      </View>
      <View style={[S.infoCol, S.infoColMid, { width: w2 }]}>
        <Text style={S.infoHeading}>PACIENTE</Text>
        <Field width={q} label="Nombre" value={a.name} />
        <Field width={q} label="Especie" value={speciesLabel(a.species)} />
        <Field width={q} label="Raza" value={a.breed} />
        <Field width={q} label="Sexo" value={sexLabel(a.sex)} />
        <Field width={q} label="Edad" value={a.age} />
      </View>
      <View style={[S.infoCol, { width: w3 }]}>
        <Text style={S.infoHeading}>SOLICITANTE</Text>
        <Field width={r} label="Propietario" value={data.owner.name} />
        <Field width={r} label="Clínica" value={data.clinic.name} lines={2} />
        <Field width={r} label="Veterinario/a" value={data.vet?.name ?? null} lines={2} />
      </View>
    </View>
  );
}

function RunningHeader({ data }: { data: ReportPdfData }) {
  return (
    <View style={S.running}>
      <Text style={S.runningLeft}>{t(data.lab.name)}</Text>
      <Text style={S.runningRight}>{t(`Informe de resultados · Protocolo ${data.protocol.code} · ${data.animal.name} (${speciesLabel(data.animal.species)})`)}</Text>
    </View>
  );
}

function Footer({ data, page, total }: { data: ReportPdfData; page: number; total: number }) {
  return (
    <View style={S.footer}>
      <View style={S.footerLine}>
        <Text style={[S.footerText, S.footerLeft]}>{t(`Protocolo ${data.protocol.code} · ${versionLabel(data.version, data.supersedesVersion)}`)}</Text>
        <Text style={[S.footerPage, S.footerRight]}>{`página ${page} de ${total}`}</Text>
      </View>
      <View style={S.footerLine}>
        <Text style={[S.footerText, S.footerLeft]}>
          Código de verificación: <Text style={S.footerCode}>{data.verificationCode}</Text>
          {t(` · ${data.lab.name}`)}
        </Text>
        <Text style={[S.footerText, S.footerRight]}>Emitido el {formatDate(data.finalizedAt)}</Text>
      </View>
    </View>
  );
}

function ReportPage({ data, page, total, logo }: { data: ReportPdfData; page: LaidOutPage; total: number; logo: string }) {
  return (
    // wrap={false}: the paginator already decided what fits; React-PDF must not split this page.
    <Page size="A4" style={S.page} wrap={false}>
      {page.number === 1 ? (
        <>
          <Letterhead styles={S} lab={data.lab} logo={logo} title="INFORME DE RESULTADOS" code={data.protocol.code} version={versionLabel(data.version, data.supersedesVersion)} />
          <InfoBlock data={data} />
        </>
      ) : (
        <RunningHeader data={data} />
      )}
      {/* The body is exactly the paginator's budget, so the footer (after it) sits at the bottom. */}
      <View style={[S.body, { height: pageBudget(page.number) }]}>
        {page.blocks.map((block, i) =>
          block.kind === 'section' ? (
            <SectionView key={i} block={block} />
          ) : block.kind === 'amendment' ? (
            <AmendmentView key={i} block={block} />
          ) : block.kind === 'observations' ? (
            <ObservationsView key={i} block={block} />
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

export function ReportDocument({ data, pages }: { data: ReportPdfData; pages: LaidOutPage[] }) {
  logoUri ??= `data:image/png;base64,${labLogoPng().toString('base64')}`;
  // Dated by its content, not the clock (which React-PDF uses by default, and which also feeds the
  // file id): every render of a version gives the same bytes.
  const issued = new Date(data.finalizedAt);
  return (
    <Document
      creationDate={issued}
      modificationDate={issued}
      title={t(`Informe ${data.protocol.code} — ${data.animal.name}`)}
      author={t(data.lab.name)}
      subject={`Informe de resultados, ${versionLabel(data.version, data.supersedesVersion)}`}
      creator="vetlab"
      producer="vetlab"
      language="es-ES"
    >
      {pages.map((page) => (
        <ReportPage key={page.number} data={data} page={page} total={pages.length} logo={logoUri as string} />
      ))}
    </Document>
  );
}

/** Lays the report out in explicit pages and renders it (blocks this thread for the whole render). */
export async function renderReportPdf(data: ReportPdfData): Promise<{ pdf: Buffer; pages: number }> {
  const pages = paginateReport(data);
  const pdf = await renderToBuffer(<ReportDocument data={data} pages={pages} />);
  return { pdf, pages: pages.length };
}
