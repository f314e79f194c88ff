// A QR code of a link, drawn as one SVG path from the module matrix of the `qrcode` package (no canvas, no HTML
// strings). Links too long for a QR code (over ~2,900 bytes even at the lowest error correction) get a message.
import QRCode from 'qrcode';
import { useMemo } from 'react';
import { errorMessage } from '../../messages';

export function QrCode({ text, size = 220 }: { text: string; size?: number }) {
  const qr = useMemo(() => {
    try {
      const code = QRCode.create(text, { errorCorrectionLevel: text.length > 1200 ? 'L' : 'M' });
      const n = code.modules.size;
      let d = '';
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++) if (code.modules.get(y, x)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
      return { n: n + 8, d, error: null };
    } catch (e) {
      return { n: 0, d: '', error: errorMessage(e) };
    }
  }, [text]);
  if (qr.error)
    return (
      <p role="alert" data-testid="lesson-link-qr-error">
        This link is too long for a QR code ({text.length} characters). Link to a lesson step or leave the masks out.
      </p>
    );
  return (
    <svg
      className="qr"
      data-testid="lesson-link-qr"
      viewBox={`0 0 ${qr.n} ${qr.n}`}
      width={size}
      height={size}
      role="img"
      aria-label="QR code of the link"
      shapeRendering="crispEdges"
    >
      <rect width={qr.n} height={qr.n} fill="#fff" />
      <path d={qr.d} fill="#000" />
    </svg>
  );
}
