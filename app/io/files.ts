/** What kind of file an upload is, from its name and MIME type (DOM-free). */
export type FileKind = 'image' | 'npy' | 'unknown';

export function fileKind(name: string, type: string): FileKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (/\.(png|jpe?g|webp)$/.test(lower) || /^image\/(png|jpeg|webp)$/.test(type)) return 'image';
  return 'unknown';
}

/** Magic bytes: PNG, JPEG, WebP (RIFF....WEBP), NumPy (\x93NUMPY). */
export function sniffKind(bytes: Uint8Array): FileKind {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image';
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45) return 'image';
  if (b.length >= 6 && b[0] === 0x93 && b[1] === 0x4e && b[2] === 0x55 && b[3] === 0x4d) return 'npy';
  return 'unknown';
}
