// The panels that can be shown alone in an iframe (?embed=NAME). A panel still being built has `render: null`
// and shows a placeholder; fill it with one line here when it exists (e.g. race: () => <RacePanel />).
import type { ReactNode } from 'react';
import { GradientHeatmap } from '../components/GradientHeatmap';
import { LossCard } from '../components/LossCard';
import { LandscapePanel } from '../components/landscape/LandscapePanel';
import { Lessons } from '../components/lessons';
import { RacePanel } from '../components/race/RacePanel';
import type { EmbedKind } from '../view/mode';

export interface EmbeddablePanel {
  title: string;
  render: (() => ReactNode) | null;
}

export const EMBEDDABLE: Record<EmbedKind, EmbeddablePanel> = {
  heatmap: { title: 'Gradient heatmap of the focused loss', render: () => <GradientHeatmap /> },
  landscape: { title: 'Loss landscape', render: () => <LandscapePanel /> },
  card: { title: 'Loss card', render: () => <LossCard /> },
  race: { title: 'Loss race', render: () => <RacePanel /> },
  lesson: { title: 'Guided lesson', render: () => <Lessons /> },
};
