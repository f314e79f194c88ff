// A persistent marker while the session cannot be saved (storage full, private mode): the notice that says so
// can be dismissed, this cannot, so edits are never lost without a word. It offers the session as a file.
import { downloadBlob } from '../export/download';
import { sessionJson } from '../persist/session';
import { useStore } from '../store';

export function SaveStatus() {
  const failure = useStore((s) => s.saveFailure);
  if (!failure) return null;
  const since = new Date(failure.since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <div role="status" className="notice error save-status" data-testid="save-failed" title={failure.message}>
      <span>
        Not saved since {since}: edits made since then will be lost on reload ({failure.message}).
      </span>{' '}
      <button
        type="button"
        data-testid="save-export"
        onClick={() => downloadBlob(new Blob([sessionJson()], { type: 'application/json' }), 'segloss-session.json')}
      >
        Export session
      </button>
    </div>
  );
}
