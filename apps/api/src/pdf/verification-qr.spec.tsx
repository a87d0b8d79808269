import type { ReactElement } from 'react';
import { qrPath } from './qr-code';
import { SAMPLE_PUBLIC_URL, sampleReportData } from './sample-report';
import { verificationUrl } from './verification-code';
import { VerificationQr } from './verification-qr';

/** Every element of a rendered tree (function components are not called: VerificationQr's output only has host elements). */
function elements(node: unknown): ReactElement<Record<string, unknown>>[] {
  if (!node || typeof node !== 'object') return [];
  const el = node as ReactElement<{ children?: unknown }>;
  const children = ([] as unknown[]).concat(el.props?.children ?? []);
  return [el as ReactElement<Record<string, unknown>>, ...children.flatMap(elements)];
}

describe('the report QR code', () => {
  it('points to <PUBLIC_URL>/verificar/<code>', () => {
    const data = sampleReportData(1);
    expect(data.verificationUrl).toBe(`${SAMPLE_PUBLIC_URL}/verificar/${data.verificationCode}`);
    expect(verificationUrl('https://lab.example/', 'ABCD-EFGH-JKMN-PQRS')).toBe('https://lab.example/verificar/ABCD-EFGH-JKMN-PQRS');
  });

  it('draws the QR code of exactly that URL', () => {
    const url = `${SAMPLE_PUBLIC_URL}/verificar/ABCD-EFGH-JKMN-PQRS`;
    const paths = elements(VerificationQr({ url })).filter((e) => typeof e.props.d === 'string');
    expect(paths.map((p) => p.props.d)).toEqual([qrPath(url).path]);
    // A different code is a different drawing.
    expect(qrPath(url).path).not.toBe(qrPath(url.replace('PQRS', 'PQRT')).path);
  });
});
