import { BACKENDS } from '../backend/select';
import { useStore } from '../store';
import type { BackendChoice } from '../store/settings';

/** Active backend + renderer, and a selector that switches backend (forced choices never fall back). */
export function BackendBadge({ onSwitch }: { onSwitch: (choice: BackendChoice) => void }) {
  const backend = useStore((s) => s.backend);
  const status = useStore((s) => s.backendStatus);
  const choice = useStore((s) => s.backendChoice);
  const text = status === 'starting' ? 'starting…' : status === 'failed' ? 'no backend' : (backend?.name ?? '—');
  return (
    <div className="backend">
      <span
        className={`badge badge-${status}`}
        data-testid="backend"
        data-backend={backend?.name ?? ''}
        title={
          backend
            ? `${backend.name} (${backend.reason}; ${backend.thread}) · renderer: ${backend.renderer ?? 'no WebGL'}`
            : undefined
        }
      >
        {text}
        {backend && <span className="renderer"> · {backend.renderer ?? 'no WebGL'}</span>}
      </span>
      <label>
        <span className="sr-only">Backend</span>
        <select
          value={choice}
          onChange={(e) => onSwitch(e.target.value as BackendChoice)}
          aria-label="Backend"
          data-testid="backend-select"
        >
          <option value="auto">auto</option>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
