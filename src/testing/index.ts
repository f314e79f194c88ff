// Test helpers, the second public entry point (for tests in app/ and elsewhere; not for the explorer's code):
// Node backends, seeded data, and the shared property suite every loss's test file runs.
export { describeEachBackend, NODE_BACKENDS, type NodeBackendName, setNodeBackend } from './backends';
export { type BadCase, badInputCases, standardBadInputs } from './bad-inputs';
export { bandLabels, type LossPropertyOptions, standardLossProperties } from './loss-properties';
export { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng, softmaxByHand } from './properties';
