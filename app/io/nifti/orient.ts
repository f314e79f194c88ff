/**
 * Orientation of a NIfTI volume and the 2-D slices the explorer computes on. Every volume is read in the
 * patient's RAS+ frame (+x right, +y anterior, +z superior) decided from its affine, so a ground truth, a
 * prediction and an underlay stored with different voxel orders (e.g. LPS from DICOM converters, RAS from
 * nibabel) still line up. Slices are shown in the radiological convention: the patient's right on the screen's
 * left; anterior (axial) or superior (coronal, sagittal) at the top; sagittal slices with anterior on the right.
 */

export type Plane = 'axial' | 'coronal' | 'sagittal';
export const PLANES: readonly Plane[] = ['axial', 'coronal', 'sagittal'];

export interface Orientation {
  /** For canonical axis a (0 = x/R, 1 = y/A, 2 = z/S): the voxel axis it runs along, and whether reversed. */
  axis: [number, number, number];
  flip: [boolean, boolean, boolean];
  /** Voxel counts along the canonical axes. */
  size: [number, number, number];
  /** e.g. 'LPS': the direction each voxel axis i, j, k points to. */
  codes: string;
}

const LETTERS = [
  ['L', 'R'],
  ['P', 'A'],
  ['I', 'S'],
];

/** Matches voxel axes to world axes by the largest entries of the affine (as nibabel's io_orientation does). */
export function orientationOf(affine: number[][], dims: readonly number[]): Orientation {
  const used = new Set<number>();
  const worldOfVoxel: { world: number; positive: boolean }[] = [];
  const cells: { i: number; j: number; v: number }[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cells.push({ i, j, v: affine[j]?.[i] ?? 0 });
  cells.sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
  const takenVoxel = new Set<number>();
  for (const c of cells) {
    if (takenVoxel.has(c.i) || used.has(c.j)) continue;
    takenVoxel.add(c.i);
    used.add(c.j);
    worldOfVoxel[c.i] = { world: c.j, positive: c.v >= 0 };
  }
  const axis: [number, number, number] = [0, 1, 2];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  let codes = '';
  for (let i = 0; i < 3; i++) {
    const w = worldOfVoxel[i] ?? { world: i, positive: true };
    axis[w.world] = i;
    flip[w.world] = !w.positive;
    codes += LETTERS[w.world]?.[w.positive ? 1 : 0] ?? '?';
  }
  const size: [number, number, number] = [dims[axis[0]] ?? 1, dims[axis[1]] ?? 1, dims[axis[2]] ?? 1];
  return { axis, flip, size, codes };
}

/** The canonical axis a plane holds fixed, and the number of slices along it. */
export function sliceAxis(plane: Plane): number {
  return plane === 'sagittal' ? 0 : plane === 'coronal' ? 1 : 2;
}

export function sliceCount(o: Orientation, plane: Plane): number {
  return o.size[sliceAxis(plane)]!;
}

export interface SliceGeometry {
  width: number;
  height: number;
  /** Voxel index (within one 3-D frame) of each slice pixel, row-major. */
  voxels: Int32Array;
}

/** Which voxel each pixel of slice `index` of `plane` shows. */
export function sliceGeometry(o: Orientation, dims: readonly number[], plane: Plane, index: number): SliceGeometry {
  const fixed = sliceAxis(plane);
  const [X, Y, Z] = o.size;
  const count = o.size[fixed]!;
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new RangeError(`slice ${index} is outside 0–${count - 1}`);
  // Screen columns and rows as canonical coordinates (radiological convention, see the header).
  let width: number;
  let height: number;
  let at: (r: number, c: number) => [number, number, number];
  if (plane === 'axial') {
    width = X;
    height = Y;
    at = (r, c) => [X - 1 - c, Y - 1 - r, index];
  } else if (plane === 'coronal') {
    width = X;
    height = Z;
    at = (r, c) => [X - 1 - c, index, Z - 1 - r];
  } else {
    width = Y;
    height = Z;
    at = (r, c) => [index, c, Z - 1 - r];
  }
  const di = dims[0] ?? 1;
  const dj = dims[1] ?? 1;
  const voxels = new Int32Array(width * height);
  const v = [0, 0, 0];
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const can = at(r, c);
      for (let a = 0; a < 3; a++) {
        const n = o.size[a]!;
        v[o.axis[a]!] = o.flip[a] ? n - 1 - can[a]! : can[a]!;
      }
      voxels[r * width + c] = v[0]! + di * (v[1]! + dj * v[2]!);
    }
  return { width, height, voxels };
}
