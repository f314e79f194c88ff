/**
 * Plain-language intuition for every loss: two or three sentences a student understands — what the loss rewards,
 * when it helps, what it ignores. Shown on the loss card above the research details and searched by the
 * taxonomy's search box. Keyed by loss id; a test checks that every registered loss has one.
 */
import type { LossId } from './types';

export const INTUITION: Record<LossId, string> = {
  'cross-entropy':
    'Scores every pixel on its own: the more probability the prediction gives the true class, the lower the loss, and all pixels count equally. That makes it smooth and easy to train, but when the object is tiny the thousands of background pixels dominate, so missing the object entirely can look almost fine (class imbalance).',
  topk: 'Cross-entropy over only the worst pixels (the top k % with the highest loss); the easy ones are ignored. It pushes the network to fix its hardest mistakes, such as thin structures and boundaries, instead of polishing pixels that are already right.',
  focal:
    'Cross-entropy in which confident, correct pixels are faded out by the factor (1 − p)^γ, so the loss comes from the hard, uncertain pixels. It helps when easy background pixels vastly outnumber the interesting ones; with γ = 0 it is plain cross-entropy.',
  'distance-map-ce':
    'Cross-entropy in which each pixel is weighted by how close it is to a boundary of the ground truth. Mistakes near edges cost more, mistakes deep inside an object or far in the background cost less, which sharpens boundaries.',
  dice: 'Measures overlap: twice the shared area divided by the total area of prediction and ground truth (Milletari et al., V-Net). Because it is a ratio, a small object counts as much as a large one, which fights class imbalance; it says nothing about how far away a wrong pixel is.',
  'log-cosh-dice':
    'The Dice loss passed through log(cosh(·)), which smooths it: the same overlap goal, with gentler gradients when the loss is large and smaller steps near the optimum. It rewards what Dice rewards and ignores what Dice ignores.',
  'generalised-wasserstein-dice':
    'A Dice loss for many classes that knows some mistakes are worse than others: confusing two similar classes costs less than confusing very different ones, through a matrix of distances between classes. With two classes it behaves like Dice.',
  iou: 'Intersection over union (Jaccard): the shared area divided by the combined area. Like Dice it rewards overlap regardless of object size, but it punishes partial overlap a little harder; it ignores where the wrong pixels are.',
  'lovasz-softmax':
    'A smooth stand-in for the IoU metric itself, built by sorting the pixel errors (Lovász extension). Training with it optimises the score used for evaluation more directly than Dice or cross-entropy do; like IoU, it does not look at distances.',
  tversky:
    'Dice with separate weights for false positives (α) and false negatives (β). Raising β makes missed object pixels cost more than extra ones, which favours recall for small lesions; with α = β = 0.5 it is Dice.',
  'focal-tversky':
    'The Tversky loss raised to a power, which keeps the gradient large for badly segmented images and shrinks it for good ones. Useful for small, hard structures; beware that public code and the paper write the exponent differently (γ vs 1/γ).',
  'sensitivity-specificity':
    'A weighted sum of the squared errors on the object (sensitivity) and on the background (specificity). The weight r lets you decide how much missed object pixels matter compared with false alarms, which helps with very unbalanced data.',
  'region-mutual-information':
    'Compares small neighbourhoods (e.g. 3×3 patches) of prediction and ground truth instead of single pixels, and rewards predictions whose local structure carries the same information. It captures shape and context that per-pixel losses ignore, at a higher computing cost.',
  'robust-t-loss':
    'Replaces the Gaussian assumption behind squared errors with a heavy-tailed Student-t distribution, so a few badly wrong pixels (often label noise) cannot dominate the loss. It helps when the annotations themselves are unreliable.',
  'boundary-loss':
    'Weights each predicted pixel by its signed distance to the true boundary: pixels far outside the object cost a lot, pixels inside reduce the loss. Unlike Dice it still has a slope when prediction and ground truth do not overlap, so it is usually combined with a region loss.',
  'hausdorff-distance':
    'Penalises the largest boundary errors: each wrong pixel is weighted by its squared distance to the boundaries, approximating the Hausdorff distance. It targets outliers far from the object; by the reference convention an empty prediction gets a zero distance map, so on its own it can prefer predicting nothing.',
  'boundary-aware':
    'Instead of asking each pixel "object or background?", it asks "how far are you from the boundary?" in a few distance bins, trained with cross-entropy. The network learns where the boundaries are and how far away they are; beyond the last bin every pixel looks the same.',
  'active-boundary':
    'Looks at where the predicted boundary is and which way it should move towards the true one, and trains the network to push each boundary pixel in that direction. It rewards boundaries that line up and ignores the object interior.',
  inverseform:
    'A frozen network looks at the predicted and true boundary maps and estimates how one is shifted or scaled relative to the other; the loss is how far that transformation is from "no change". It rewards boundaries with the right position and size, not pixel-by-pixel agreement. (The explorer uses its own small network.)',
  'conditional-boundary':
    "For every boundary pixel it compares the network's features with those of its neighbours: same-class neighbours should look alike, other classes should differ. It sharpens boundaries using local context, and ignores the interior of objects.",
  'boundary-dou':
    'A Dice-like ratio computed on the boundary region: it measures how much of the true boundary the prediction misses or adds, with a weight that adapts to the object size. It helps thin and small objects whose area is mostly boundary.',
  'region-wise':
    'Gives every pixel a weight from a region-wise map (e.g. its distance to the boundary, or whether it lies in an object or the background) and sums the weighted probabilities. A flexible framework: the chosen map decides what it rewards and what it ignores.',
  combo:
    'A weighted sum of a (weighted) binary cross-entropy, BCE, and Dice: cross-entropy gives smooth pixel-wise gradients, Dice handles the imbalance. The BCE weight β trades false positives against false negatives.',
  'exp-log':
    'Combines a Dice term and a cross-entropy term, each passed through −log and raised to a small power (γ < 1), which focuses the loss on the harder, less accurate cases. Meant for data with many classes of very different sizes.',
  'unified-focal':
    'A family that contains Dice, Tversky, focal and cross-entropy as special cases: a focal cross-entropy part and a focal Tversky part with shared parameters. One set of parameters tunes both how much rare classes count and how much hard pixels count.',
};

/** The intuition text of `id` ('' when there is none). */
export function intuitionOf(id: LossId): string {
  return INTUITION[id] ?? '';
}
