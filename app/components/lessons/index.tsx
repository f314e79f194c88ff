// The lesson panel as its own chunk (markdown-it, the QR encoder and the schema are only needed once it renders):
// the page paints without waiting for it. This is what App.tsx mounts.
import { lazy, Suspense } from 'react';

const Panel = lazy(async () => ({ default: (await import('./LessonPanel')).LessonPanel }));

export function Lessons() {
  return (
    <Suspense fallback={null}>
      <Panel />
    </Suspense>
  );
}
