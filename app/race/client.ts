// Page side of the loss race: sends the masks and settings to the compute host, shows progress, can cancel,
// and adopts a racer's prediction as the current one (one undo step).
import { snapshotIndexAt, validateRaceSettings } from '../../src';
import type { ComputeHost } from '../compute/host';
import { ENGINE_NOT_READY, maskFields } from '../compute/landscape/client';
import { errorMessage } from '../messages';
import { useStore } from '../store';
import { raceSettings, useRace } from './state';
import { underlayGrey } from './underlay';

let latest = 0;

export async function startRace(host: ComputeHost | null): Promise<void> {
  const s = useStore.getState();
  const r = useRace.getState();
  const settings = raceSettings(r.settings);
  const bad = validateRaceSettings(settings);
  if (bad) {
    useRace.setState({ status: 'error', error: bad, progress: null });
    return;
  }
  if (!host || s.backendStatus !== 'ready') {
    useRace.setState({ status: 'error', error: ENGINE_NOT_READY });
    return;
  }
  const mine = ++latest;
  const { width, height, numClasses, target, logits } = maskFields(s);
  useRace.setState({
    status: 'running',
    progress: { done: 0, total: settings.steps + 1 },
    error: null,
    playing: false,
  });
  const image = settings.mode === 'network' && s.underlay ? await underlayGrey(s.underlay.url, width, height) : null;
  const t0 = performance.now();
  try {
    const reply = await host.race({ width, height, numClasses, target, logits, settings, image }, (done, total) => {
      if (mine === latest) useRace.setState({ progress: { done, total } });
    });
    if (mine !== latest) return;
    useRace.setState({
      status: 'done',
      trajectory: reply.trajectory,
      inputs: { target, logits },
      networkInput: settings.mode === 'network' ? (image ? 'the underlay' : 'an image rendered from the GT') : null,
      progress: null,
      wallMs: performance.now() - t0,
      ranOn: `${reply.backend ?? '?'} in the ${host.thread}`,
      step: settings.steps,
    });
  } catch (e) {
    if (mine !== latest) return;
    const msg = errorMessage(e);
    const cancelled = /cancelled/.test(msg);
    useRace.setState({ status: cancelled ? 'cancelled' : 'error', progress: null, error: cancelled ? null : msg });
  }
}

export async function cancelRace(host: ComputeHost | null): Promise<void> {
  await host?.cancelRace();
}

/** Logits of a racer's kept probabilities: log p, p clamped to [1e-4, 1] (the 8-bit snapshot, 0 → 1e-4). */
export function logitsFromSnapshot(q: Uint8Array): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = Math.log(Math.max(1e-4, q[i]! / 255));
  return out;
}

/** Makes racer i's prediction at the shown step the current prediction (one undo entry). */
export function adoptRacer(i: number): string | null {
  const r = useRace.getState();
  const tr = r.trajectory;
  const racer = tr?.racers[i];
  if (!tr || !racer) return 'Run a race first.';
  const s = useStore.getState();
  if (s.width !== tr.width || s.height !== tr.height || s.numClasses !== tr.numClasses)
    return 'The masks changed size or class count since the race; run it again to adopt.';
  const snap = racer.snapshots[snapshotIndexAt(tr, r.step)];
  if (!snap) return `${racer.id} has no prediction at this step.`;
  s.setLogits(logitsFromSnapshot(snap));
  return null;
}
