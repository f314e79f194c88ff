/**
 * Boundary (surface) loss.
 * Paper: Kervadec, Bouchtiba, Desrosiers, Granger, Dolz & Ben Ayed, "Boundary loss for highly unbalanced
 *   segmentation", MIDL 2019 / Medical Image Analysis 67 (2021), arXiv 1812.07032, eq. 5; survey eq. 21.
 * Reference: LIVIAETS/boundary-loss@171c32d8 losses.py::SurfaceLoss, with the maps of utils.py::one_hot2dist
 *   as dataloader.py::dist_map_transform builds them (int32 one-hot, resolution [1, 1]).
 *
 *   φ_c = EDT(¬M)·[¬M] − (EDT(M) − 1)·[M],  M = {t = c}  (φ_c = 0 when M is empty)
 *   L = mean_{n, c ∈ idc, i} p_nic φ_nci
 *
 * φ is positive outside the object (distance to it) and ≤ 0 inside, the innermost boundary ring at 0, so the
 * loss is NEGATIVE at a confident correct prediction: its minimum is −mean over the selected classes of the
 * interior depths, not 0. The maps depend only on the ground truth and are cached in the context.
 */
import { perClassMaps, signedDistance } from '../../ops/distance-maps';
import { oneHotPair, softmaxClassSums } from '../../ops/softmax-class-sums';
import { formatParamValue, ParamError } from '../../params';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type BoundaryLossParams = {
  classes: number[] | null;
  distanceRounding: 'trunc' | 'none';
};

/** The supervised classes (idc) with multiplicity, validated against C. */
function supervisedClasses(classes: number[] | null, c: number): number[] {
  const list = classes ?? Array.from({ length: c - 1 }, (_, k) => k + 1);
  if (list.length === 0) throw new ParamError('boundary-loss', 'classes', 'must not be empty, got []');
  for (const k of list) {
    if (!Number.isInteger(k) || k < 0 || k >= c) {
      throw new ParamError(
        'boundary-loss',
        'classes',
        `holds class ${k}, outside 0..${c - 1}: got ${formatParamValue(list)}`,
      );
    }
  }
  return list;
}

export const boundaryLoss = defineLoss<BoundaryLossParams, 'boundary-loss'>({
  id: 'boundary-loss',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Boundary Loss',
  category: 'boundary',
  citation: {
    authors: [
      'Hoel Kervadec',
      'Jihene Bouchtiba',
      'Christian Desrosiers',
      'Éric Granger',
      'Jose Dolz',
      'Ismail Ben Ayed',
    ],
    title: 'Boundary loss for highly unbalanced segmentation',
    venue: 'MIDL 2019 (journal version: Medical Image Analysis 67, 2021)',
    year: 2019,
    arxiv: '1812.07032',
    url: 'https://arxiv.org/abs/1812.07032',
  },
  summary: 'Probabilities integrated against the signed distance to the ground-truth contour.',
  useWhen: 'Highly unbalanced problems, added to a region loss (Dice/GDL) as training goes on.',
  needs: ['distance-map'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{B}=\operatorname*{mean}_{n,\,c\in\mathrm{idc},\,i}\;p_{nic}\,\phi_{nci},\qquad \phi_c=\mathrm{EDT}(\lnot M_c)\,[\lnot M_c]-\big(\mathrm{EDT}(M_c)-1\big)[M_c],\ M_c=\{t=c\}`,
  reference: [
    {
      repo: 'LIVIAETS/boundary-loss',
      commit: '171c32d8',
      path: 'losses.py',
      symbol: 'SurfaceLoss',
      note: 'maps from utils.py::one_hot2dist via dataloader.py::dist_map_transform',
    },
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900',
      path: 'losses_pytorch/boundary_loss.py',
      symbol: 'BDLoss',
      note: 'foreground channels only',
    },
  ],
  params: {
    classes: {
      kind: 'vector',
      label: 'supervised classes (idc)',
      default: null,
      length: 'any',
      integer: true,
      nullMeaning: 'all foreground classes 1..C−1 (the official binary setting idc = [1])',
      doc: 'Classes whose distance maps enter the mean; the official ACDC multi-class setting lists all classes.',
    },
    distanceRounding: {
      kind: 'enum',
      label: 'distance rounding',
      default: 'trunc',
      doc: 'How the signed distance is stored before use.',
      options: [
        {
          value: 'trunc',
          label: 'truncate to integer (official pipeline)',
          doc: 'one_hot2dist writes into an array of the int32 one-hot dtype, truncating toward zero.',
        },
        { value: 'none', label: 'float distances', doc: 'one_hot2dist with dtype=np.float64: exact distances.' },
      ],
    },
  },
  variants: [
    {
      param: 'distanceRounding',
      value: 'none',
      label: 'float distance map',
      doc: 'The paper’s φ is a real-valued distance; the official dataloader truncates it to integers by storing it in the int32 one-hot array. "none" keeps the exact distances.',
    },
    {
      param: 'classes',
      value: [0, 1],
      label: 'all classes (ACDC stand-alone setting)',
      doc: 'Supervising the background channel too, as the official multi-class ACDC configuration does (list every class).',
    },
  ],
  pitfalls: [
    {
      where: 'LIVIAETS/boundary-loss utils.py::one_hot2dist (official pipeline)',
      text: 'The result array takes the dtype of the int32 one-hot, so every distance is truncated toward zero; pass dtype=np.float64 for exact distances.',
    },
    {
      where: 'scipy.ndimage.distance_transform_edt (SciPy 1.10)',
      text: 'For a class covering the whole image, EDT of the all-true mask returns the distance to a virtual point (−1, 0), not infinity; the reference (and this implementation) uses those values inside the class.',
    },
    {
      where: 'survey eq. 21',
      text: 'Written as an integral ∫φ s over the image; the code averages over pixels, classes and images. The loss is negative at the optimum, so it is meant to be combined with a regional loss (weight α rising from 0.01).',
    },
  ],
  notes: [
    'No epsilon: the loss is linear in p. Maps are computed on the CPU with the exact EDT (src/ops/edt.ts) and cached per ground truth (key boundary-loss:phi:<rounding>).',
    'Minimum: at a perfect prediction the value is −mean of the interior depths, ≤ 0 (e.g. −0.002 for the golden "perfect" case).',
  ],
  compute(logits, _target, params, ctx) {
    const [n, h, w, c] = logits.shape;
    const idc = supervisedClasses(params.classes, c);
    const rounding = params.distanceRounding;
    const phi = ctx.memo(`boundary-loss:phi:${rounding}`, () =>
      tf.tensor4d(
        perClassMaps(ctx, (img, k) => signedDistance(img, h, w, k, rounding)),
        [n, h, w, c],
      ),
    );
    // φ times each selected class's multiplicity, memoised; L = Σ p·W / (N·H·W·|classes|) is linear in p, so its
    // gradient is the softmax backward of W (softmaxClassSums with a constant map, closed form)
    const weighted = ctx.memo(`boundary-loss:weighted:${rounding}:${idc.join(',')}`, () => {
      const mult = new Float32Array(c);
      for (const k of idc) mult[k] = (mult[k] as number) + 1;
      return tf.tidy(() => tf.mul(phi, tf.tensor1d(mult)));
    }) as tf.Tensor4D;
    return tf.tidy(() => {
      const total = tf.sum(softmaxClassSums(logits, oneHotPair(ctx), [{ of: 'p', weight: weighted }], true));
      return tf.div(total, n * h * w * idc.length) as tf.Scalar;
    });
  },
});
