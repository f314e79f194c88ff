// The Run row of a lesson step with race or landscape settings: a button that runs the race / computes the
// landscape with the step's settings (already loaded into those panels), its progress, and — for `run: "auto"` —
// the run started as soon as the step is applied and the engine is ready.
import { useEffect } from 'react';
import { useComputeHost } from '../../compute/host-context';
import { computeNamed } from '../../compute/landscape/client';
import type { LessonStep } from '../../lessons/schema';
import { useLessons } from '../../lessons/state';
import { startRace } from '../../race/client';
import { useRace } from '../../race/state';
import { useStore } from '../../store';
import { useNamed } from '../landscape/named-state';

export function StepRun({ step, index }: { step: LessonStep; index: number }) {
  const host = useComputeHost();
  const applied = useLessons((s) => s.appliedStep === index);
  const ready = useStore((s) => s.backendStatus === 'ready');
  // Whole-slice subscriptions (these small stores change only while their panel works).
  const race = useRace();
  const named = useNamed();
  const raceAuto = step.race?.run === 'auto';
  const namedAuto = step.landscape?.run === 'auto';
  useEffect(() => {
    if (!applied || !ready) return;
    if (raceAuto && race.status === 'idle') void startRace(host);
    if (namedAuto && named.status === 'idle') void computeNamed(host);
  }, [applied, ready, raceAuto, namedAuto, race.status, named.status, host]);
  if (!step.race && !step.landscape) return null;
  type Status = { status: string; progress: { done: number; total: number } | null; error: string | null };
  const rows: { panel: 'race' | 'landscape'; label: string; st: Status; run(): void }[] = [];
  if (step.race)
    rows.push({
      panel: 'race',
      label: `Run the race (${step.race.losses.length} losses × ${race.settings.steps} steps)`,
      st: race,
      run: () => void startRace(host),
    });
  if (step.landscape)
    rows.push({ panel: 'landscape', label: 'Compute the landscape', st: named, run: () => void computeNamed(host) });
  return (
    <div className="lesson-run">
      {rows.map((r) => (
        <p key={r.panel}>
          <button
            type="button"
            data-testid="lesson-run"
            data-panel={r.panel}
            data-status={r.st.status}
            disabled={!applied || !ready || r.st.status === 'running'}
            onClick={r.run}
          >
            {r.label}
          </button>{' '}
          {r.st.progress && (
            <progress value={r.st.progress.done} max={r.st.progress.total} aria-label={`${r.panel} progress`} />
          )}
          {r.st.status === 'done' && (
            <span className="muted">
              {' '}
              Done: the result is in the {r.panel === 'race' ? 'loss race' : 'named-axes landscape'} panel.
            </span>
          )}
          {r.st.error && (
            <span role="alert" className="error">
              {' '}
              {r.st.error}
            </span>
          )}
        </p>
      ))}
    </div>
  );
}
