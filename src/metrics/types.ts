/** Result types of the segmentation metrics (src/metrics). */

export const METRIC_NAMES = ['dice', 'iou', 'hd95', 'hd', 'assd'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Why a metric has no value. MONAI returns NaN or inf in these places; we never turn them into numbers. */
export type UndefinedReason =
  | 'empty-target' // the class is absent from the target (its surface is empty)
  | 'empty-prediction' // the class is absent from the prediction
  | 'both-empty' // absent from both: no surface points at all
  | 'undefined-class' // a mean where at least one averaged entry is undefined
  | 'no-class-present'; // a mean over no classes at all

export type MetricValue =
  | { kind: 'value'; value: number }
  | {
      kind: 'undefined';
      reason: UndefinedReason;
      /** What MONAI returns in this place ('nan' or 'inf'). */
      monai: 'nan' | 'inf';
      /** A sentence for the user. */
      message: string;
    };

/** One image: per metric, one value per class (background included, index = class). */
export type ClassMetrics = Record<MetricName, MetricValue[]>;

export interface MetricSummary {
  /** Per image n, per metric, per class c. */
  perImage: ClassMetrics[];
  /** Per metric and class, the mean over the images (undefined if any image is undefined for that class). */
  perClass: ClassMetrics;
  /** Per metric, the mean over the classes present (see `meanClasses`), per `perClass`. */
  mean: Record<MetricName, MetricValue>;
  /**
   * The classes the mean runs over: present in the target or the prediction of some image; background
   * (class 0) only with `includeBackground`.
   */
  meanClasses: number[];
  numClasses: number;
}

export const value = (v: number): MetricValue => ({ kind: 'value', value: v });

export function isDefined(m: MetricValue): m is { kind: 'value'; value: number } {
  return m.kind === 'value';
}
