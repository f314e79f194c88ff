/**
 * A minimal NIfTI-1 writer (single .nii file, sform orientation): used by the tests to make volumes, and small
 * enough to read as the format's description. Pure.
 */
export type NiftiDtype = 'uint8' | 'int16' | 'int32' | 'float32' | 'float64';

const CODES: Record<NiftiDtype, { code: number; bytes: number }> = {
  uint8: { code: 2, bytes: 1 },
  int16: { code: 4, bytes: 2 },
  int32: { code: 8, bytes: 4 },
  float32: { code: 16, bytes: 4 },
  float64: { code: 64, bytes: 8 },
};

export interface NiftiWriteOptions {
  dtype: NiftiDtype;
  /** 4×4 voxel → world matrix written as the sform (default: identity, i.e. RAS, 1 mm voxels). */
  affine?: number[][];
  sclSlope?: number;
  sclInter?: number;
  /** Overrides for tests of damaged files. */
  datatypeCode?: number;
}

export function writeNifti1(dims: readonly number[], data: ArrayLike<number>, opts: NiftiWriteOptions): Uint8Array {
  const { code, bytes } = CODES[opts.dtype];
  const count = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(352 + count * bytes);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, true);
  v.setInt16(40, dims.length, true);
  for (const [i, d] of dims.entries()) v.setInt16(42 + 2 * i, d, true);
  for (let i = dims.length; i < 7; i++) v.setInt16(42 + 2 * i, 1, true);
  v.setInt16(70, opts.datatypeCode ?? code, true);
  v.setInt16(72, bytes * 8, true);
  const a = opts.affine ?? [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
  v.setFloat32(76, 1, true); // qfac
  for (let i = 0; i < 3; i++)
    v.setFloat32(80 + 4 * i, Math.hypot(a[0]?.[i] ?? 0, a[1]?.[i] ?? 0, a[2]?.[i] ?? 0), true);
  v.setFloat32(108, 352, true);
  v.setFloat32(112, opts.sclSlope ?? 1, true);
  v.setFloat32(116, opts.sclInter ?? 0, true);
  v.setInt16(254, 2, true); // sform_code: aligned
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat32(280 + 16 * r + 4 * c, a[r]?.[c] ?? 0, true);
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  for (let i = 0; i < count; i++) {
    const at = 352 + i * bytes;
    const x = data[i]!;
    if (opts.dtype === 'uint8') v.setUint8(at, x);
    else if (opts.dtype === 'int16') v.setInt16(at, x, true);
    else if (opts.dtype === 'int32') v.setInt32(at, x, true);
    else if (opts.dtype === 'float32') v.setFloat32(at, x, true);
    else v.setFloat64(at, x, true);
  }
  return out;
}

/** The same volume as a NIfTI-2 file (540-byte header, 64-bit sizes and float64 geometry). */
export function writeNifti2(dims: readonly number[], data: ArrayLike<number>, opts: NiftiWriteOptions): Uint8Array {
  const { code, bytes } = CODES[opts.dtype];
  const count = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(544 + count * bytes);
  const v = new DataView(out.buffer);
  v.setInt32(0, 540, true);
  out.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4); // "n+2\0\r\n\032\n"
  v.setInt16(12, opts.datatypeCode ?? code, true);
  v.setInt16(14, bytes * 8, true);
  v.setBigInt64(16, BigInt(dims.length), true);
  for (let i = 0; i < 7; i++) v.setBigInt64(24 + 8 * i, BigInt(dims[i] ?? 1), true);
  const a = opts.affine ?? [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
  ];
  v.setFloat64(104, 1, true);
  for (let i = 0; i < 3; i++)
    v.setFloat64(112 + 8 * i, Math.hypot(a[0]?.[i] ?? 0, a[1]?.[i] ?? 0, a[2]?.[i] ?? 0), true);
  v.setBigInt64(168, 544n, true);
  v.setFloat64(176, opts.sclSlope ?? 1, true);
  v.setFloat64(184, opts.sclInter ?? 0, true);
  v.setInt32(348, 2, true); // sform_code
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat64(400 + 32 * r + 8 * c, a[r]?.[c] ?? 0, true);
  for (let i = 0; i < count; i++) {
    const at = 544 + i * bytes;
    const x = data[i]!;
    if (opts.dtype === 'uint8') v.setUint8(at, x);
    else if (opts.dtype === 'int16') v.setInt16(at, x, true);
    else if (opts.dtype === 'int32') v.setInt32(at, x, true);
    else if (opts.dtype === 'float32') v.setFloat32(at, x, true);
    else v.setFloat64(at, x, true);
  }
  return out;
}
