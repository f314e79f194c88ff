// The landscape requests the page sends to the compute host, one type per kind of request, and their replies.
import type {
  LandscapeAxisSpec,
  LandscapeLineLoss,
  LandscapeLinesResult,
  LandscapeResult,
  LossId,
  NamedAxisSpec,
  NamedLandscapeResult,
  Params,
  PixelCurvesResult,
  TransformBase,
} from '../../../src';

/** The masks every landscape request carries (always sent: small next to the work). */
export interface LandscapeMasks {
  width: number;
  height: number;
  numClasses: number;
  targetVersion: number;
  target: Int32Array;
  logits: Float32Array;
}

/** One loss on a line or grid along the directions of src/landscape/directions.ts. */
export interface GridLandscapeRequest extends LandscapeMasks {
  kind: 'grid';
  lossId: LossId;
  params: Params;
  axes: LandscapeAxisSpec[];
  margin?: number;
}

/** "Compare losses": several losses along one direction. */
export interface LinesLandscapeRequest extends LandscapeMasks {
  kind: 'lines';
  losses: LandscapeLineLoss[];
  axis: LandscapeAxisSpec;
  margin?: number;
}

/** Several losses + argmax Dice/IoU along one or two named transformations. */
export interface NamedLandscapeRequest extends LandscapeMasks {
  kind: 'named';
  losses: { id: LossId; params: Params }[];
  axes: NamedAxisSpec[];
  base: TransformBase;
}

/** The logits of one point of a named-axis landscape (a click on the grid). */
export interface NamedPointRequest extends LandscapeMasks {
  kind: 'named-point';
  axes: NamedAxisSpec[];
  coords: number[];
  base: TransformBase;
}

/** Per-pixel curves of several losses at one pixel. */
export interface PixelCurvesRequest extends LandscapeMasks {
  kind: 'pixel-curves';
  losses: { id: LossId; params: Params }[];
  x: number;
  y: number;
}

export type LandscapeRequest =
  | GridLandscapeRequest
  | LinesLandscapeRequest
  | NamedLandscapeRequest
  | NamedPointRequest
  | PixelCurvesRequest;

interface ReplyInfo {
  backend: string | null;
  numTensors: number;
}

export type LandscapeReplyOf<R extends LandscapeRequest> = ReplyInfo &
  (R extends GridLandscapeRequest
    ? { kind: 'grid'; result: LandscapeResult }
    : R extends LinesLandscapeRequest
      ? { kind: 'lines'; lines: LandscapeLinesResult }
      : R extends NamedLandscapeRequest
        ? { kind: 'named'; named: NamedLandscapeResult }
        : R extends NamedPointRequest
          ? { kind: 'named-point'; logits: Float32Array }
          : { kind: 'pixel-curves'; curves: PixelCurvesResult });

export type LandscapeReply = LandscapeReplyOf<LandscapeRequest>;

export type LandscapeProgress = (done: number, total: number) => void;
