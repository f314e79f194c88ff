/**
 * Cross-backend agreement for losses that have no golden vectors (property-only losses such as InverseForm
 * and the Conditional Boundary Loss): compute value and gradient in Node on the cpu (reference) backend, wrap
 * them as an ad-hoc golden file, and let the browser's golden runner check webgl against them with the
 * checker's own tolerance.
 */
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, inject } from 'vitest';
import { lossAndGrad } from '../../src/compute';
import type { GoldenCase, GoldenFile } from '../../src/golden/format';
import { confidentLogits, normal, rng } from '../../src/testing/properties';
import { tf } from '../../src/tf';
import type { ParamValue } from '../../src/types';
import { type GoldenPage, openGoldenPage } from './golden';
import { connectBrowser } from './shared-browser';

export interface AgreementSpec {
  id: string;
  shape: [number, number, number, number];
  target: Int32Array;
  params: Record<string, ParamValue>;
  /** Logit margin of the (noisy) mostly-correct prediction: confidentLogits(target, shape, margin) + N(0, 1). */
  margin: number;
  /** Absolute deviation allowance, as SPEC's float32Deviation (the checker allows 4×). */
  float32Deviation?: { value: number; grad: number };
}

/**
 * Float32 numbers as the shortest JSON that reads back to the same float32 (9 significant digits), instead of
 * the 17 a double may need: a 256² case's text shrinks by about 40%, and handing it to the page is most of
 * what checking it there costs on a slow machine.
 */
export function float32List(a: ArrayLike<number>): number[] {
  return Array.from(a, (v) => Number(Math.fround(v).toPrecision(9)));
}

/** One golden case from the Node cpu backend: a mostly correct prediction with unit Gaussian noise. */
export function cpuReferenceCase(loss: string, spec: AgreementSpec, seed: number): GoldenCase {
  const x = confidentLogits(spec.target, spec.shape, spec.margin);
  const noise = normal(rng(seed), x.length, 1);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + (noise[i] as number);
  const [n, h, w] = spec.shape;
  const logits = tf.tensor4d(x, spec.shape);
  const target = tf.tensor3d(spec.target, [n, h, w], 'int32');
  const { value, grad } = lossAndGrad(loss, logits, target, spec.params);
  const out: GoldenCase = {
    id: spec.id,
    params: spec.params,
    shape: spec.shape,
    logits: float32List(x),
    target: Array.from(spec.target),
    value: value.dataSync()[0] as number,
    grad: float32List(grad.dataSync()),
    ...(spec.float32Deviation ? { float32Deviation: spec.float32Deviation } : {}),
    note: 'cross-backend check: Node cpu backend value',
  };
  tf.dispose([logits, target, value, grad]);
  return out;
}

/** An ad-hoc golden file of cpu reference cases (seeds 1, 2, … in spec order). */
export async function cpuAgreementFile(loss: string, specs: AgreementSpec[]): Promise<GoldenFile> {
  await tf.setBackend('cpu');
  return {
    format: 'seg-loss-golden/1',
    loss,
    kind: 'property',
    reference: 'Node cpu backend (cross-backend agreement)',
    defaults: {},
    binaryOnly: false,
    cases: specs.map((s, i) => cpuReferenceCase(loss, s, i + 1)),
  };
}

/** One browser and golden runner page for the enclosing describe block; call the getter inside tests. */
export function useGoldenPage(): () => GoldenPage {
  let browser: Awaited<ReturnType<typeof connectBrowser>> | undefined;
  let page: GoldenPage | undefined;
  beforeAll(async () => {
    browser = await connectBrowser();
    page = await openGoldenPage(browser, inject('baseUrl'));
  });
  afterAll(async () => {
    await page?.close();
    await browser?.close();
  });
  return () => {
    if (!page) throw new Error('golden page not open (useGoldenPage must be called inside describe)');
    return page;
  };
}
