import { StyleSheet } from '@react-pdf/renderer';
import { CONTENT_WIDTH, REPORT_LAYOUT as L } from './report-layout';

export const colors = {
  brand: '#0f4c5c',
  brandSoft: '#e4eef0',
  panel: '#f5f8f9',
  border: '#c9d3d8',
  hairline: '#e1e7ea',
  text: '#1d2a30',
  muted: '#5b6b73',
  high: '#b42318',
  highTint: '#fdf1f0',
  low: '#1849a9',
  lowTint: '#eef3fd',
  zebra: '#f8fafb',
};

const r = L.row;
/** Absolute line heights: a bare number is a multiple of the font size React-PDF resolves, not ours. */
const pt = (points: number) => `${points}pt`;

/** Every block that the paginator budgets has its height fixed here, from REPORT_LAYOUT. */
export const S = StyleSheet.create({
  page: {
    paddingTop: L.page.marginTop,
    // Only the footer's margin: the footer is laid out in the page's flow, after the body. The
    // paginator keeps the body above it (the body budget ends at marginBottom).
    paddingBottom: L.footer.bottom,
    paddingHorizontal: L.page.marginX,
    fontFamily: 'Helvetica',
    fontSize: r.fontSize,
    color: colors.text,
  },

  // Page 1 letterhead
  letterhead: {
    height: L.letterhead.height,
    marginBottom: L.letterhead.gapAfter,
    flexDirection: 'row',
    alignItems: 'center',
    borderBottomWidth: 1.5,
    borderBottomColor: colors.brand,
    paddingBottom: 8,
  },
  logo: { width: L.letterhead.logo, height: L.letterhead.logo },
  // Explicit widths: flex-shrunk text boxes in a row keep their unwrapped width in React-PDF.
  labBlock: { width: CONTENT_WIDTH - L.letterhead.logo - L.letterhead.titleWidth - 16, marginLeft: 10 },
  labName: { fontFamily: 'Helvetica-Bold', fontSize: 13, color: colors.brand, marginBottom: 3, maxLines: 1, textOverflow: 'ellipsis' },
  labLine: { fontSize: 7.5, color: colors.muted, lineHeight: pt(10), maxLines: 1, textOverflow: 'ellipsis' },
  titleBlock: { width: L.letterhead.titleWidth, alignItems: 'flex-end' },
  docTitle: { fontFamily: 'Helvetica-Bold', fontSize: 11, color: colors.brand, letterSpacing: 0.6, marginBottom: 3 },
  docCode: { fontFamily: 'Helvetica-Bold', fontSize: 9, marginBottom: 2 },
  docVersion: { fontSize: 7.5, color: colors.muted, maxLines: 1 },

  // Page 1 protocol / patient / requester block
  info: {
    height: L.infoBlock.height,
    marginBottom: L.infoBlock.gapAfter,
    flexDirection: 'row',
    backgroundColor: colors.panel,
    borderWidth: 0.75,
    borderColor: colors.border,
    borderRadius: 3,
    paddingVertical: 8,
  },
  infoCol: { paddingHorizontal: L.infoBlock.paddingX },
  infoColMid: { borderLeftWidth: 0.75, borderRightWidth: 0.75, borderColor: colors.border },
  infoHeading: { fontFamily: 'Helvetica-Bold', fontSize: 7, color: colors.brand, letterSpacing: 0.8, marginBottom: 5 },
  field: { flexDirection: 'row', alignItems: 'flex-start', minHeight: 14 },
  fieldLabel: { width: L.infoBlock.labelWidth, fontSize: 7.5, color: colors.muted, paddingTop: 0.5 },
  fieldValue: { fontFamily: 'Helvetica-Bold', fontSize: 8.5, lineHeight: pt(10.5), textOverflow: 'ellipsis' },

  // Later pages
  running: {
    height: L.runningHeader.height,
    marginBottom: L.runningHeader.gapAfter,
    flexDirection: 'row',
    justifyContent: 'space-between',
    alignItems: 'flex-end',
    borderBottomWidth: 0.75,
    borderBottomColor: colors.brand,
    paddingBottom: 5,
  },
  runningLeft: { width: CONTENT_WIDTH - 320, fontFamily: 'Helvetica-Bold', fontSize: 8.5, color: colors.brand, maxLines: 1, textOverflow: 'ellipsis' },
  runningRight: { width: 320, fontSize: 7.5, color: colors.muted, maxLines: 1, textAlign: 'right' },

  // Results tables
  section: { marginTop: L.section.gapBefore },
  sectionTitle: { height: L.section.titleHeight, flexDirection: 'row', alignItems: 'flex-start' },
  sectionTitleText: { fontFamily: 'Helvetica-Bold', fontSize: 10, color: colors.brand, maxLines: 1 },
  cont: { fontFamily: 'Helvetica', fontSize: 8, color: colors.muted },
  tableHead: {
    height: L.section.tableHeaderHeight,
    flexDirection: 'row',
    alignItems: 'center',
    backgroundColor: colors.brandSoft,
    borderBottomWidth: 0.75,
    borderBottomColor: colors.brand,
  },
  headCell: { paddingHorizontal: r.paddingX, fontFamily: 'Helvetica-Bold', fontSize: 7.5, color: colors.brand },
  tableBody: { borderBottomWidth: L.section.bottomRule, borderBottomColor: colors.border },
  stripe: { position: 'absolute', left: 0, right: 0 },
  rowZebra: { backgroundColor: colors.zebra },
  rowHigh: { backgroundColor: colors.highTint },
  rowLow: { backgroundColor: colors.lowTint },
  columns: { flexDirection: 'row' },
  column: { paddingHorizontal: r.paddingX, paddingTop: r.textOffset, fontSize: r.fontSize, lineHeight: pt(r.pitch) },
  colName: { width: L.columns.name },
  colResult: { width: L.columns.result },
  colUnit: { width: L.columns.unit },
  colReference: { width: L.columns.reference },
  valueOut: { fontFamily: 'Helvetica-Bold' },
  markHigh: { fontFamily: 'Helvetica-Bold', fontSize: r.markFontSize, color: colors.high },
  markLow: { fontFamily: 'Helvetica-Bold', fontSize: r.markFontSize, color: colors.low },
  superscript: { fontSize: 6, verticalAlign: 'super' },

  // Observations and closing
  amendment: {
    marginTop: L.amendment.gapBefore,
    borderLeftWidth: 2.5,
    borderLeftColor: '#b45309',
    backgroundColor: '#fef3c7',
    paddingHorizontal: L.amendment.paddingX,
    paddingVertical: L.amendment.paddingY,
  },
  amendmentText: { fontSize: L.amendment.fontSize, lineHeight: pt(L.amendment.lineHeight) },
  /** An annulled version's mark: a layer over the whole page, drawn after everything else. */
  voidLayer: { position: 'absolute', top: 0, left: 0, right: 0, bottom: 0, alignItems: 'center', justifyContent: 'center' },
  voidMark: { fontFamily: 'Helvetica-Bold', fontSize: 54, color: '#c62828', opacity: 0.45, letterSpacing: 2 },
  voidNoteBox: {
    marginTop: 12,
    width: 400,
    borderWidth: 1.5,
    borderColor: '#c62828',
    backgroundColor: '#ffffff',
    paddingHorizontal: 10,
    paddingVertical: 6,
  },
  voidNote: { fontSize: 10, color: '#c62828', lineHeight: 1.35, maxLines: 10, textOverflow: 'ellipsis' },
  observations: { marginTop: L.observations.gapBefore },
  blockTitle: { height: L.observations.titleHeight, fontFamily: 'Helvetica-Bold', fontSize: 10, color: colors.brand },
  observationsBox: {
    backgroundColor: colors.panel,
    borderLeftWidth: 2.5,
    borderLeftColor: colors.brand,
    paddingHorizontal: L.observations.paddingX,
    paddingVertical: L.observations.paddingY,
  },
  observationsText: { fontSize: L.observations.fontSize, lineHeight: pt(L.observations.lineHeight) },
  closing: {
    marginTop: L.closing.gapBefore,
    flexDirection: 'row',
    borderTopWidth: 0.75,
    borderTopColor: colors.border,
    paddingTop: 8,
  },
  closingNotes: { width: CONTENT_WIDTH - L.closing.signatureWidth - L.closing.qrWidth, paddingRight: 24 },
  noteTitle: { fontFamily: 'Helvetica-Bold', fontSize: 8.5, color: colors.brand, marginBottom: 4 },
  note: { fontSize: 7.5, color: colors.muted, lineHeight: pt(9.5), marginBottom: 3, maxLines: 2, textOverflow: 'ellipsis' },
  noteStrong: { fontFamily: 'Helvetica-Bold', color: colors.text },
  signatureBox: { width: L.closing.signatureWidth, alignItems: 'center' },
  signatureImage: { width: 135, height: 45, objectFit: 'contain' },
  signatureRule: { width: 150, borderTopWidth: 0.75, borderTopColor: colors.text, marginTop: 2, marginBottom: 4 },
  signerName: { fontFamily: 'Helvetica-Bold', fontSize: 9, maxLines: 1 },
  signerRole: { fontSize: 7.5, color: colors.muted, marginTop: 1 },

  // Every page
  // In the flow, not absolutely positioned: React-PDF measured an absolute footer's texts
  // differently from page to page (it moved) and dropped texts it placed below the content box.
  body: { flexShrink: 0 },
  footer: {
    borderTopWidth: 0.75,
    borderTopColor: colors.border,
    paddingTop: 5,
  },
  footerLine: { flexDirection: 'row', justifyContent: 'space-between', marginBottom: 2 },
  footerText: { fontSize: 7, color: colors.muted, maxLines: 1, textOverflow: 'ellipsis' },
  footerLeft: { width: CONTENT_WIDTH - 110 },
  footerRight: { width: 110, textAlign: 'right' },
  footerCode: { fontFamily: 'Helvetica-Bold', color: colors.text, letterSpacing: 0.4 },
  footerPage: { fontFamily: 'Helvetica-Bold', fontSize: 7.5, color: colors.text },
});
