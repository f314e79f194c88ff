import { beforeEach, describe, expect, it } from 'vitest';
import type { BackendName } from '../backend/select';
import { useStore } from '../store';
import { recoverEngine } from './recover';
import { useWeights } from './weights';

function deps(startable: BackendName[]) {
  const started: (BackendName | null)[] = [];
  let weights = 0;
  return {
    started,
    weights: () => weights,
    d: {
      start: async (choice: BackendName | null) => {
        started.push(choice);
        const ok = choice !== null && startable.includes(choice);
        useStore.setState({ backendError: ok ? null : `Backend error: the ${choice} backend did not start` });
        return ok;
      },
      needsStart: () => true,
      reloadWeights: async () => {
        weights++;
      },
    },
  };
}

const texts = () => useStore.getState().notices.map((n) => n.text);

describe('recoverEngine', () => {
  beforeEach(() => {
    useStore.setState({
      notices: [],
      backendError: null,
      backend: {
        name: 'webgl',
        renderer: null,
        reason: 'forced',
        precision: 'float32',
        variant: null,
        failures: [],
        thread: 'worker',
      },
    });
    useWeights.setState({ state: 'ready', message: null });
  });

  it('says what happened, restarts the same backend and reloads the weights', async () => {
    const { d, started, weights } = deps(['webgl', 'wasm']);
    const run = recoverEngine({ kind: 'context-lost', detail: 'webglcontextlost' }, { thread: 'worker' }, d);
    expect(useWeights.getState().state).toBe('loading'); // the new engine has none yet
    await run;
    expect(started).toEqual(['webgl']);
    expect(weights()).toBe(1);
    expect(texts()).toEqual([
      'The WebGL context was lost: restarting the compute engine on webgl and recomputing every value (masks, undo history and settings are kept).',
    ]);
  });

  it('falls back to WASM, saying so, when the backend does not start again', async () => {
    const { d, started, weights } = deps(['wasm']);
    await recoverEngine({ kind: 'context-lost', detail: 'webglcontextlost' }, { thread: 'worker' }, d);
    expect(started).toEqual(['webgl', 'wasm']);
    expect(weights()).toBe(1);
    expect(texts()[1]).toMatch(/webgl could not be restarted, computing on wasm instead/);
  });

  it('only says so when the worker did not load (the calls were replayed on the page)', async () => {
    const { d, started } = deps(['webgl']);
    await recoverEngine({ kind: 'load-failed', detail: 'script error' }, { thread: 'main thread' }, d);
    expect(started).toEqual([]);
    expect(texts()[0]).toMatch(/^The compute worker did not load \(script error\); computing on the page instead/);
  });
});
