import type { GroundTruthContext } from './engine/gt-context';
import type { LOSS_LIST } from './registry';
import type { tf } from './tf';

export type Category = 'pixel' | 'region' | 'boundary' | 'combination';

/**
 * The 25 loss ids of ../shared/golden/SPEC.md, in taxonomy order: an exact literal union derived from the one
 * list in src/registry.ts (each loss file declares its id).
 */
export type LossId = LossIdOf<typeof LOSS_LIST>;
type LossIdOf<L extends readonly { id: string }[]> = L[number]['id'];

export interface Citation {
  authors: string[];
  title: string;
  venue: string;
  year: number | null;
  arxiv: string | null;
  /** DOI or landing page when there is no arXiv id. */
  url: string | null;
}

/** What a loss needs beyond the softmax probabilities (used by the taxonomy filters). */
export type Need =
  | 'distance-map'
  | 'boundary-map'
  | 'sorting'
  | 'small-linear-algebra'
  | 'pretrained-network'
  | 'features';

/** The part of a loss that is survey data: where it sits, who wrote it, when it helps. */
export interface TaxonomyEntry<Id extends string = LossId> {
  id: Id;
  name: string;
  category: Category;
  citation: Citation;
  /** One sentence: what the loss measures. */
  summary: string;
  /** When it helps, in a sentence or two. */
  useWhen: string;
  needs: Need[];
  binaryOnly: boolean;
  /** True when the authors (or a maintained library) published runnable code. */
  hasReferenceCode: boolean;
}

export type ParamValue = number | boolean | string | null | number[] | number[][];
export type Params = Record<string, ParamValue>;

interface ParamBase {
  /** What the parameter does, in a sentence. */
  doc: string;
  /** Longer name for UIs. */
  label?: string;
}
export interface NumberParam extends ParamBase {
  kind: 'number';
  default: number | null;
  /** The explorer's range (slider and text field). Also the library's bounds unless hardMin/hardMax widen them. */
  min: number;
  max: number;
  /**
   * Bounds the loss can really take when they are wider than min..max, which is then only a UI range (e.g. focal
   * γ ≥ 0 with a 0..5 slider). resolveParams checks these; the explorer accepts them only with ?advanced=1.
   */
  hardMin?: number;
  hardMax?: number;
  step?: number;
  integer?: boolean;
  /** When set, null is allowed and means this (e.g. "derived from the number of classes"). */
  nullMeaning?: string;
  scale?: 'linear' | 'log';
}
export interface BooleanParam extends ParamBase {
  kind: 'boolean';
  default: boolean;
}
export interface EnumParam extends ParamBase {
  kind: 'enum';
  default: string;
  options: { value: string; label: string; doc: string }[];
}
/** A list of numbers (class weights, class ids); null means derived (nullMeaning says how). */
export interface VectorParam extends ParamBase {
  kind: 'vector';
  default: number[] | null;
  nullMeaning: string;
  /** 'classes': one entry per class; 'any': free length (e.g. a list of class ids). */
  length: 'classes' | 'any';
  integer?: boolean;
}
/** A C×C matrix (GWDL's distance matrix); null means derived. */
export interface MatrixParam extends ParamBase {
  kind: 'matrix';
  default: number[][] | null;
  nullMeaning: string;
}
export type ParamSpec = NumberParam | BooleanParam | EnumParam | VectorParam | MatrixParam;
export type ParamSchema = Record<string, ParamSpec>;

/** A public implementation the loss is checked against. */
export interface ReferenceImpl {
  repo: string;
  commit?: string;
  path: string;
  symbol: string;
  note?: string;
}

/** A documented choice where references disagree, exposed as a parameter setting. */
export interface Variant {
  /** Parameter whose value selects the variant. */
  param: string;
  value: ParamValue;
  label: string;
  /** Who computes it this way and what changes. */
  doc: string;
}

/** A known bug or trap in a public implementation (shown by the UI). */
export interface Pitfall {
  /** Implementation concerned, e.g. "YilmazKadir/Segmentation_Losses losses/dice.py". */
  where: string;
  text: string;
}

export type LossFn<P extends Params = Params> = (
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  params: P,
  ctx: GroundTruthContext,
) => tf.Scalar;

/** What a loss file provides besides its taxonomy entry. */
export interface LossImplementation<P extends Params = Params, Id extends string = LossId> {
  id: Id;
  status: 'implemented' | 'coming';
  /** LaTeX of what is computed (rendered with KaTeX by the app). */
  formula: string;
  reference: ReferenceImpl[];
  params: ParamSchema;
  variants: Variant[];
  pitfalls: Pitfall[];
  /** Free-form notes: epsilons, float32 caveats, adaptations. */
  notes: string[];
  /**
   * Present when status === 'implemented'. Declared as a method so that a definition with its own parameter
   * type (`LossDefinition<DiceParams>`) is still a `LossDefinition`: resolveParams hands it validated params.
   */
  compute?(logits: tf.Tensor4D, target: tf.Tensor3D, params: P, ctx: GroundTruthContext): tf.Scalar;
  /**
   * True when `compute` reads tensor data back to the CPU (dataSync: a sort order, a thresholded mask, a
   * CPU-only transform) — a pipeline stall on WebGL. The multi-loss engine runs these after every other loss of
   * an update; every loss without the flag must be read-back-free (src/engine/evaluate.test.ts checks it).
   */
  needsHostData?: boolean;
}

/** A loss file's export: its taxonomy entry and its implementation in one object (see defineLoss). */
export type LossDefinition<P extends Params = Params, Id extends string = LossId> = TaxonomyEntry<Id> &
  LossImplementation<P, Id>;
