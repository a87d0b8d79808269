import { Link, Path, Svg } from '@react-pdf/renderer';
import { qrPath } from './qr-code';
import { REPORT_LAYOUT as L } from './report-layout';

/** Modules of white around the code, as QR readers expect. */
const QUIET_ZONE = 2;

/**
 * The report's QR code, beside its printed verification code: it leads to the public page that
 * says whether the code is genuine and current (`<PUBLIC_URL>/verificar/<code>`). On screen the code
 * is also a link to that page.
 */
export function VerificationQr({ url }: { url: string }) {
  const qr = qrPath(url);
  const side = qr.size + 2 * QUIET_ZONE;
  return (
    <Link src={url} style={{ width: L.closing.qrWidth, alignItems: 'center', textDecoration: 'none' }}>
      <Svg style={{ width: L.closing.qrSize, height: L.closing.qrSize }} viewBox={`${-QUIET_ZONE} ${-QUIET_ZONE} ${side} ${side}`}>
        <Path d={qr.path} fill="#000000" />
      </Svg>
    </Link>
  );
}
