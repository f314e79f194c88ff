import { useStore } from '../store';
import { SaveStatus } from './SaveStatus';

export function Notices() {
  const notices = useStore((s) => s.notices);
  const dismiss = useStore((s) => s.dismissNotice);
  const backendError = useStore((s) => s.backendError);
  const backend = useStore((s) => s.backend);
  return (
    <div className="notices">
      <SaveStatus />
      {backendError && (
        <div role="alert" className="notice error" data-testid="backend-error">
          {backendError}
        </div>
      )}
      {backend && backend.failures.length > 0 && (
        <div role="alert" className="notice error">
          Using {backend.name}: {backend.failures.join('; ')}
        </div>
      )}
      {notices.map((n) => (
        <div
          key={n.id}
          role={n.kind === 'error' ? 'alert' : 'status'}
          className={`notice ${n.kind}`}
          data-testid="notice"
        >
          <span>{n.text}</span>
          <button type="button" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
