/**
 * Reading NIfTI-1 and NIfTI-2 volumes (.nii, .nii.gz) with nifti-reader-js, checked before anything large is
 * allocated: a truncated or lying header, an unsupported datatype, a volume larger than MAX_VOXELS, or NaN/±Inf
 * voxels give a NiftiError with a message in the user's terms. The values come back as float64 with the
 * header's scaling (scl_slope, scl_inter) applied, in the file's voxel order (x fastest), with the voxel → world
 * affine (sform if set, else qform, else the voxel sizes).
 */
import * as nifti from 'nifti-reader-js';
import { errorMessage } from '../../messages';

export class NiftiError extends Error {}

/** The largest volume accepted: 64 M voxels (512 MB as float64), e.g. 512×512×256. */
export const MAX_VOXELS = 64 * 1024 * 1024;

export interface NiftiVolume {
  /** Voxel counts along i, j, k and the 4th dimension (1 for 3-D volumes). */
  dims: [number, number, number, number];
  data: Float64Array;
  /** 4×4 voxel (i, j, k) → world (x, y, z) matrix, rows. */
  affine: number[][];
  /** 'sform', 'qform' or 'voxel sizes only'. */
  orientationSource: string;
  datatype: string;
  /** True when every value is an integer (a label volume). */
  integer: boolean;
}

const TYPES: Record<number, { name: string; bytes: number; read(v: DataView, o: number, le: boolean): number }> = {
  2: { name: 'uint8', bytes: 1, read: (v, o) => v.getUint8(o) },
  256: { name: 'int8', bytes: 1, read: (v, o) => v.getInt8(o) },
  4: { name: 'int16', bytes: 2, read: (v, o, le) => v.getInt16(o, le) },
  512: { name: 'uint16', bytes: 2, read: (v, o, le) => v.getUint16(o, le) },
  8: { name: 'int32', bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  768: { name: 'uint32', bytes: 4, read: (v, o, le) => v.getUint32(o, le) },
  16: { name: 'float32', bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  64: { name: 'float64', bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
  1024: { name: 'int64', bytes: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  1280: { name: 'uint64', bytes: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) },
};

const UNSUPPORTED: Record<number, string> = {
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'RGB24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function readNifti(input: ArrayBuffer | Uint8Array, name = 'the file'): NiftiVolume {
  let buf = toArrayBuffer(input);
  if (nifti.isCompressed(buf)) {
    try {
      buf = toArrayBuffer(new Uint8Array(nifti.decompress(buf)));
    } catch {
      throw new NiftiError(`${name} is gzip-compressed but does not decompress (damaged or cut off)`);
    }
  }
  if (!nifti.isNIFTI(buf))
    throw new NiftiError(`${name} is not a NIfTI-1 or NIfTI-2 file (no NIfTI magic in its header)`);
  let header: nifti.NIFTI1 | nifti.NIFTI2;
  try {
    header = nifti.readHeader(buf);
  } catch (e) {
    throw new NiftiError(`${name} has a header that cannot be read (${errorMessage(e)})`);
  }
  const rank = header.dims[0] ?? 0;
  if (rank < 2 || rank > 4)
    throw new NiftiError(`${name} has ${rank} dimensions; the explorer reads 2-D to 4-D volumes`);
  const d = [1, 2, 3, 4].map((i) => (i <= rank ? (header.dims[i] ?? 0) : 1));
  if (d.some((v) => !Number.isInteger(v) || v < 1))
    throw new NiftiError(`${name} declares a size of ${d.slice(0, rank).join('×')}, which is not a volume`);
  const dims = d as [number, number, number, number];
  const voxels = dims[0] * dims[1] * dims[2] * dims[3];
  if (voxels > MAX_VOXELS)
    throw new NiftiError(
      `${name} has ${dims.slice(0, rank).join('×')} = ${voxels.toLocaleString('en')} voxels; the explorer reads at most ${MAX_VOXELS.toLocaleString('en')} (64 M)`,
    );
  const type = TYPES[header.datatypeCode];
  if (!type) {
    const what = UNSUPPORTED[header.datatypeCode] ?? `code ${header.datatypeCode}`;
    throw new NiftiError(`${name} stores ${what} voxels; the explorer reads integer and float volumes`);
  }
  const offset = Math.max(0, Math.floor(header.vox_offset));
  const needed = offset + voxels * type.bytes;
  if (needed > buf.byteLength)
    throw new NiftiError(
      `${name} is cut off or its header is wrong: ${dims.slice(0, rank).join('×')} ${type.name} voxels need ${needed.toLocaleString('en')} bytes, the file has ${buf.byteLength.toLocaleString('en')}`,
    );
  const view = new DataView(buf, offset, voxels * type.bytes);
  const slope = Number.isFinite(header.scl_slope) && header.scl_slope !== 0 ? header.scl_slope : 1;
  const inter = Number.isFinite(header.scl_inter) && header.scl_slope !== 0 ? header.scl_inter : 0;
  const data = new Float64Array(voxels);
  let bad = 0;
  let integer = true;
  for (let i = 0; i < voxels; i++) {
    const v = type.read(view, i * type.bytes, header.littleEndian) * slope + inter;
    if (!Number.isFinite(v)) bad++;
    else if (integer && !Number.isInteger(v)) integer = false;
    data[i] = v;
  }
  if (bad > 0) throw new NiftiError(`${name} holds ${bad} NaN or infinite voxel${bad === 1 ? '' : 's'}`);
  const { affine, source } = affineOf(header);
  return { dims, data, affine, orientationSource: source, datatype: type.name, integer };
}

function affineOf(h: nifti.NIFTI1 | nifti.NIFTI2): { affine: number[][]; source: string } {
  const finite = (m: number[][] | undefined) =>
    !!m && m.length >= 3 && m.every((r) => r.every((v) => Number.isFinite(v)));
  if (h.sform_code > 0 && finite(h.affine)) return { affine: h.affine.map((r) => [...r]), source: 'sform' };
  if (h.qform_code > 0) {
    const q = h.getQformMat();
    if (finite(q)) return { affine: q.map((r) => [...r]), source: 'qform' };
  }
  const px = h.pixDims;
  const s = (i: number) => (px[i] && Number.isFinite(px[i]) && px[i] !== 0 ? Math.abs(px[i]!) : 1);
  return {
    affine: [
      [s(1), 0, 0, 0],
      [0, s(2), 0, 0],
      [0, 0, s(3), 0],
      [0, 0, 0, 1],
    ],
    source: 'voxel sizes only',
  };
}
