// ?race=cross-entropy,dice&raceMode=network&raceSteps=200 opens the race panel with these settings, ready to run.
// Unknown or unimplemented ids, a bad mode or step count give one notice and are left out (the rest applies).
import { defaultRate, getLoss, isImplemented, isLossId, type LossId, RACE_MAX_LOSSES, RACE_MAX_STEPS } from '../../src';
import { type RacePanelSettings, useRace } from './state';

export interface RaceUrl {
  settings: Partial<RacePanelSettings>;
  notice: string | null;
  open: boolean;
}

export function parseRaceParams(search: string): RaceUrl {
  const q = new URLSearchParams(search);
  const out: RaceUrl = { settings: {}, notice: null, open: false };
  const problems: string[] = [];
  const race = q.get('race');
  const mode = q.get('raceMode');
  const steps = q.get('raceSteps');
  if (race === null && mode === null && steps === null) return out;
  out.open = true;
  if (race !== null) {
    const ids: LossId[] = [];
    const bad: string[] = [];
    for (const raw of race
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (isLossId(raw) && isImplemented(getLoss(raw))) {
        if (!ids.includes(raw)) ids.push(raw);
      } else bad.push(raw);
    }
    if (bad.length > 0)
      problems.push(`unknown loss id${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ')}`);
    if (ids.length > RACE_MAX_LOSSES)
      problems.push(`at most ${RACE_MAX_LOSSES} losses race (kept the first ${RACE_MAX_LOSSES})`);
    if (ids.length > 0) out.settings.losses = ids.slice(0, RACE_MAX_LOSSES);
  }
  if (mode !== null) {
    if (mode === 'logits' || mode === 'network') out.settings.mode = mode;
    else problems.push(`raceMode '${mode}' is not logits or network`);
  }
  if (steps !== null) {
    const n = Number(steps);
    if (Number.isInteger(n) && n >= 1 && n <= RACE_MAX_STEPS) out.settings.steps = n;
    else problems.push(`raceSteps '${steps}' is not a whole number from 1 to ${RACE_MAX_STEPS}`);
  }
  if (problems.length > 0) out.notice = `Race link: ${problems.join('; ')}. The rest of the link was applied.`;
  return out;
}

/** Applies ?race=…&raceMode=…&raceSteps=… to the race panel (main.tsx, once at start). */
export function applyRaceUrl(search: string): void {
  const u = parseRaceParams(search);
  if (!u.open) return;
  const cur = useRace.getState().settings;
  const mode = u.settings.mode ?? cur.mode;
  useRace.setState({
    open: true,
    notice: u.notice,
    settings: { ...cur, ...u.settings, rate: defaultRate(mode, cur.optimiser) },
  });
}
