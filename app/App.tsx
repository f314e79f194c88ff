import { useState } from 'react';
import { BackendBadge } from './components/BackendBadge';
import { ExportMenu } from './components/ExportMenu';
import { Editors } from './components/editors/Editors';
import { GradientHeatmap } from './components/GradientHeatmap';
import { LossCard } from './components/LossCard';
import { LossTable } from './components/LossTable';
import { LandscapePanel } from './components/landscape/LandscapePanel';
import { Lessons } from './components/lessons';
import { LivePanel } from './components/live/LivePanel';
import { MetricsRow } from './components/MetricsRow';
import { Notices } from './components/Notices';
import { Presenter } from './components/present/Presenter';
import { RacePanel } from './components/race/RacePanel';
import { ShareLink } from './components/ShareLink';
import { SmallMultiples } from './components/SmallMultiples';
import { StatsPanel } from './components/StatsPanel';
import { TaxonomyTree } from './components/TaxonomyTree';
import { GRID_SIZES, type GridSize } from './editing/grid';
import { EmbedCode } from './embed/EmbedCode';
import { EmbedRoot } from './embed/EmbedRoot';
import { useStore } from './store';
import type { BackendChoice } from './store/settings';
import { parseViewMode, type ViewMode, withPresent } from './view/mode';

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

/** The view from the URL (?present=1, ?embed=…); the presenter toggle updates both. */
function useViewMode(): [ViewMode, (present: boolean) => void] {
  const [mode, setMode] = useState<ViewMode>(() => parseViewMode(window.location.search));
  const setPresent = (on: boolean) => {
    window.history.replaceState(window.history.state, '', withPresent(window.location.href, on));
    setMode(parseViewMode(window.location.search));
  };
  return [mode, setPresent];
}

export function App({ actions }: { actions: AppActions }) {
  const [mode, setPresent] = useViewMode();
  if (mode.kind === 'embed') return <EmbedRoot panel={mode.panel} />;
  if (mode.kind === 'embed-unknown') return <EmbedRoot panel={{ unknown: mode.requested }} />;
  if (mode.kind === 'present')
    return (
      <>
        <Notices />
        <Presenter onExit={() => setPresent(false)} />
      </>
    );
  return <Explorer actions={actions} onPresent={() => setPresent(true)} />;
}

function Explorer({ actions, onPresent }: { actions: AppActions; onPresent(): void }) {
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
          <EmbedCode />
          <ExportMenu />
          <button type="button" onClick={onPresent} data-testid="present-toggle" title="Large type for a projector">
            Present
          </button>
          <ResetButton onReset={actions.reset} />
        </div>
      </header>
      <Notices />
      <Lessons />
      {/* The stage fits one screen: drawing, its gradient and the numbers, so nothing needs scrolling in class. */}
      <main className="stage">
        <div className="stage-editors">
          <Editors />
        </div>
        <div className="stage-heatmap">
          <GradientHeatmap />
        </div>
        <LivePanel metrics={<MetricsRow place="live" />} />
      </main>
      <StatsPanel />
      <div className="layout">
        <aside className="left">
          <TaxonomyTree />
          <LossCard />
        </aside>
        <div className="center">
          <MetricsRow place="table" />
          <LossTable />
          <SmallMultiples />
          <LandscapePanel />
          <RacePanel />
        </div>
      </div>
      <footer className="muted">
        Losses from Azad et al., “Loss Functions in the Era of Semantic Segmentation: A Survey and Outlook”, arXiv
        2312.05391. Computed with TensorFlow.js in your browser.
      </footer>
    </div>
  );
}
