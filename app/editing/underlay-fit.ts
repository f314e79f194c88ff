/**
 * An underlay image is drawn over the whole mask grid, so it lines up with the masks only when it has the grid's
 * shape. A grid made from an image of the same shape (a downsampled upload, a grid change that keeps the aspect
 * ratio) may differ by the rounding of one side, i.e. at most one grid pixel; anything more would show the image
 * stretched, and the editors drop it instead.
 */
export interface Shape {
  width: number;
  height: number;
}

export function underlayFits(image: Shape, grid: Shape): boolean {
  const h = (image.height * grid.width) / image.width;
  const w = (image.width * grid.height) / image.height;
  return Math.abs(h - grid.height) <= 1 || Math.abs(w - grid.width) <= 1;
}
