// Writes NumPy .npy files (format version 1.0): the masks exported for Python. Pure.
// Layout: magic "\x93NUMPY", version 1.0, a little-endian uint16 header length, an ASCII dict header padded with
// spaces to a multiple of 64 bytes and ended by '\n', then the raw little-endian C-order data.

export type NpyArray = { data: Int32Array; dtype: '<i4' } | { data: Float32Array; dtype: '<f4' };

export function encodeNpy(array: NpyArray, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length)
    throw new Error(`shape ${shape.join('×')} needs ${count} values, got ${array.data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${array.dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 6 + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64);
  header += '\n';
  const out = new Uint8Array(10 + header.length + array.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // Typed arrays are little-endian on every platform browsers run on; DataView keeps it explicit.
  const view = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < array.data.length; i++) {
    if (array.dtype === '<i4') view.setInt32(i * 4, array.data[i]!, true);
    else view.setFloat32(i * 4, array.data[i]!, true);
  }
  return out;
}
