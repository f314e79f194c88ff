import { useState } from 'react';
import { BackendBadge } from './components/BackendBadge';
import { ExportMenu } from './components/ExportMenu';
import { Editors } from './components/editors/Editors';
import { GradientHeatmap } from './components/GradientHeatmap';
import { LossCard } from './components/LossCard';
import { LossTable } from './components/LossTable';
import { LandscapePanel } from './components/landscape/LandscapePanel';
import { Lessons } from './components/lessons';
import { Notices } from './components/Notices';
import { ShareLink } from './components/ShareLink';
import { SmallMultiples } from './components/SmallMultiples';
import { StatsPanel } from './components/StatsPanel';
import { TaxonomyTree } from './components/TaxonomyTree';
import { useStore } from './store';
import { type BackendChoice, GRID_SIZES, type GridSize } from './store/settings';

export interface AppActions {
  switchBackend(choice: BackendChoice): void;
  setGridSize(size: GridSize): void;
  reset(): void;
}

function ResetButton({ onReset }: { onReset: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)} data-testid="reset">
        Reset…
      </button>
    );
  return (
    <span role="alertdialog" aria-label="Confirm reset" className="confirm">
      Reset masks and settings to the example?{' '}
      <button
        type="button"
        data-testid="reset-confirm"
        onClick={() => {
          setAsking(false);
          onReset();
        }}
      >
        Reset
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export function App({ actions }: { actions: AppActions }) {
  const gridSize = useStore((s) => s.gridSize);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  // An uploaded mask may have any size: the selector then says so instead of showing a size the masks lack.
  const standard = width === height && (GRID_SIZES as readonly number[]).includes(width);
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          SegLoss Explorer <small>25 segmentation losses, live</small>
        </h1>
        <div className="toolbar">
          <label>
            grid{' '}
            <select
              value={standard ? gridSize : 'custom'}
              onChange={(e) => actions.setGridSize(Number(e.target.value) as GridSize)}
              aria-label="Grid size"
              data-testid="grid-size"
            >
              {!standard && (
                <option value="custom" disabled>
                  {width}×{height} (uploaded)
                </option>
              )}
              {GRID_SIZES.map((g) => (
                <option key={g} value={g}>
                  {g}×{g}
                </option>
              ))}
            </select>
          </label>
          <BackendBadge onSwitch={actions.switchBackend} />
          <ShareLink />
          <ExportMenu />
          <ResetButton onReset={actions.reset} />
        </div>
      </header>
      <Notices />
      <Lessons />
      <StatsPanel />
      <main className="layout">
        <aside className="left">
          <TaxonomyTree />
          <LossCard />
        </aside>
        <div className="center">
          <Editors />
        </div>
        <aside className="right">
          <GradientHeatmap />
        </aside>
      </main>
      <LossTable />
      <SmallMultiples />
      <LandscapePanel />
      <footer className="muted">
        Losses from Azad et al., “Loss Functions in the Era of Semantic Segmentation: A Survey and Outlook”, arXiv
        2312.05391. Computed with TensorFlow.js in your browser.
      </footer>
    </div>
  );
}
