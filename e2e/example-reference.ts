/**
 * Golden files of the explorer's built-in example at one grid size, one per implemented loss, with the value and
 * gradient that the CURRENT backend computes. The WebGL cold-start test (e2e/webgl-cold-start.e2e.test.ts) has
 * the golden page compute them on its cpu backend and then check them on webgl in the same page.
 *
 * Why in the page: sent from Node, the 25 files are ≈ 90 MB of JSON at 256², which took ≈ 12 s to cross the
 * browser protocol on the 2-core machine (≈ 0.7 s per 5 MB string), for numbers the page's own cpu backend (the
 * same TF.js kernels as Node's) computes in a few seconds.
 */
import { exampleMasks } from '../app/editing/example';
import { lossAndGrad } from '../src/compute';
import type { GoldenFile } from '../src/golden/format';
import { IMPLEMENTED_LOSSES } from '../src/registry';
import { tf } from '../src/tf';

export function exampleReferenceFiles(size: number): GoldenFile[] {
  const m = exampleMasks(size);
  const shape: [number, number, number, number] = [1, size, size, m.numClasses];
  const logits = Array.from(m.logits); // shared by the files: one copy in the page
  const target = Array.from(m.target);
  const backend = tf.getBackend();
  return IMPLEMENTED_LOSSES.map((def) =>
    tf.tidy(() => {
      const { value, grad } = lossAndGrad(
        def.id,
        tf.tensor4d(m.logits, shape),
        tf.tensor3d(m.target, [1, size, size], 'int32'),
        {},
      );
      return {
        format: 'seg-loss-golden/1' as const,
        loss: def.id,
        kind: 'property' as const,
        reference: `the golden page's ${backend} backend (cold-start check)`,
        defaults: {},
        binaryOnly: false,
        cases: [
          {
            id: `example-${size}`,
            params: {},
            shape,
            logits,
            target,
            value: value.dataSync()[0] as number,
            grad: Array.from(grad.dataSync()),
          },
        ],
      };
    }),
  );
}
