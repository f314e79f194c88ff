import { dump } from 'npyjs';
import { describe, expect, it } from 'vitest';
import { interpretNpy, labelsFromNpy, parseNpy } from './npy';

describe('parseNpy error messages', () => {
  it('a truncated float32 file is reported in the user terms, not as a TypedArray error', () => {
    const full = new Uint8Array(dump(new Float32Array(16).fill(0.5), [4, 4]));
    const cut = full.slice(0, full.length - 6).buffer; // 2.5 floats short: misaligned and too short
    let message = '';
    try {
      parseNpy(cut);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/truncated or damaged/);
    expect(message).not.toMatch(/typed array|multiple of/i);
  });
});

describe('interpretNpy shapes', () => {
  it('a (1, 1, 2) array is a 1×1 image with 2 classes, not a 2×1 foreground map', () => {
    const a = interpretNpy(parseNpy(dump(new Float32Array([0.3, 0.7]), [1, 1, 2])));
    expect([a.width, a.height, a.numClasses]).toEqual([1, 1, 2]);
  });
});

/** A C-order .npy (version 1.0) built by hand, so the test does not depend on npyjs's writer for int64. */
function npyBytes(descr: string, shape: number[], data: ArrayBufferView): ArrayBuffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...[...'NUMPY'].map((c) => c.charCodeAt(0)), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(
    [...header].map((c) => c.charCodeAt(0)),
    10,
  );
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out.buffer;
}

describe('labelsFromNpy dtypes', () => {
  it('accepts int64, int32, uint16 and int16 ground truth whose values fit', () => {
    const classes = [0, 1, 2, 0, 2, 1];
    const arrays: [string, ArrayBufferView][] = [
      ['<i8', new BigInt64Array(classes.map((v) => BigInt(v)))],
      ['<i4', new Int32Array(classes)],
      ['<u2', new Uint16Array(classes)],
      ['<i2', new Int16Array(classes)],
    ];
    for (const [descr, data] of arrays) {
      const m = labelsFromNpy(parseNpy(npyBytes(descr, [2, 3], data)));
      expect([descr, m.width, m.height, m.numClasses, [...m.labels]]).toEqual([descr, 3, 2, 3, classes]);
    }
  });
});
