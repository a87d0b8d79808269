import { Image, Text, View } from '@react-pdf/renderer';
import type { Style } from '@react-pdf/types';
import type { ReactNode } from 'react';
import { winAnsiSafe as t } from './helvetica-metrics';
import type { ReportPdfData } from './report-pdf-data';

/** The styles a document gives its letterhead: each lays it out to its own page budget. */
export type LetterheadStyles = Record<'letterhead' | 'logo' | 'labBlock' | 'labName' | 'labLine' | 'titleBlock' | 'docTitle' | 'docCode' | 'docVersion', Style>;

/**
 * The lab's letterhead, shared by every document: logo, the lab's name and contact lines, and the
 * document's title, its protocol line ("Protocolo P-…", in the document's language) and version line; `children` go at its right end (a QR code).
 */
export function Letterhead(props: { styles: LetterheadStyles; lab: ReportPdfData['lab']; logo: string; title: string; protocolLine: string; version: string; children?: ReactNode }) {
  const { styles: S, lab } = props;
  return (
    <View style={S.letterhead}>
      <Image style={S.logo} src={props.logo} />
      <View style={S.labBlock}>
        <Text style={S.labName}>{t(lab.name)}</Text>
        <Text style={S.labLine}>{t(lab.address)}</Text>
        <Text style={S.labLine}>{t(`Tel. ${lab.phone} · ${lab.email}`)}</Text>
      </View>
      <View style={S.titleBlock}>
        <Text style={S.docTitle}>{props.title}</Text>
        <Text style={S.docCode}>{t(props.protocolLine)}</Text>
        <Text style={S.docVersion}>{props.version}</Text>
      </View>
      {props.children}
    </View>
  );
}
