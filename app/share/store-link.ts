// Share links ↔ the app's store: build the links from the current state, and open a link from the URL hash.
//
// Opening: the hash is read once at start-up (and again on `hashchange`, for a link pasted into an open tab),
// then removed from the address bar in every case, so that a reload shows the user's own autosaved state and
// the address never claims a state that edits have since changed. A link that fails to decode changes nothing
// and shows a role="alert" notice saying why.

import { errorMessage } from '../messages';
import { enabledFromDisabled, sharedSettingsOf } from '../settings/fields';
import { useStore } from '../store';
import {
  buildShareLinks,
  decodeShareHash,
  isShareHash,
  linkPrecisionLogits,
  ShareLinkError,
  type ShareLinks,
  type ShareState,
} from './link';

export function currentShareState(): ShareState {
  const s = useStore.getState();
  return {
    ...sharedSettingsOf(s),
    masks: { width: s.width, height: s.height, numClasses: s.numClasses, target: s.target, logits: s.logits },
  };
}

/**
 * The links for the current state. The link stores the prediction at 8 bits per class; first the prediction is
 * switched to that precision (one undo step, only when it changes) so that the sender sees the very loss values
 * the receiver will see. `rounded` says whether that happened.
 */
export async function shareLinksNow(base: string): Promise<ShareLinks & { rounded: boolean }> {
  const s = useStore.getState();
  const snapped = linkPrecisionLogits(s);
  const rounded = snapped.some((v, i) => v !== s.logits[i]);
  if (rounded) s.setLogits(snapped);
  return { ...(await buildShareLinks(base, currentShareState())), rounded };
}

export function applyShareState(st: ShareState): void {
  const s = useStore.getState();
  if (st.masks) s.loadMasks(st.masks, { source: 'Shared link' });
  else s.setGridSize(st.gridSize);
  const numClasses = useStore.getState().numClasses;
  useStore.getState().applySettings({
    focusedLoss: st.focusedLoss,
    params: st.params,
    enabled: enabledFromDisabled(st.disabled),
    gridSize: st.gridSize,
    heatmapMode: st.heatmapMode,
    heatmapClass: Math.min(st.heatmapClass, numClasses - 1),
    multiples: st.multiples,
  });
}

function clearHash(): void {
  const url = new URL(window.location.href);
  url.hash = '';
  window.history.replaceState(window.history.state, '', url.href.replace(/#$/, ''));
}

/** Opens the share link in the current hash, if any. Never throws. */
export async function openShareLinkFromHash(): Promise<'none' | 'opened' | 'failed'> {
  const hash = window.location.hash;
  if (!isShareHash(hash)) return 'none';
  clearHash();
  const { pushNotice } = useStore.getState();
  try {
    const st = await decodeShareHash(hash, { numClasses: useStore.getState().numClasses });
    applyShareState(st);
    pushNotice(
      st.masks
        ? `Opened a shared link (${st.masks.width}×${st.masks.height}, ${st.masks.numClasses} classes). Undo brings back your previous masks.`
        : 'Opened a shared link without masks: its settings now apply to your own masks.',
      'info',
    );
    return 'opened';
  } catch (e) {
    const why = e instanceof ShareLinkError ? e.message : `unexpected error: ${errorMessage(e)}`;
    pushNotice(`This share link cannot be opened: ${why}. Nothing was changed.`, 'error');
    return 'failed';
  }
}

/** Opens links pasted into the address bar of an open tab. Returns the unsubscribe function. */
export function listenForShareLinks(): () => void {
  const on = () => void openShareLinkFromHash();
  window.addEventListener('hashchange', on);
  return () => window.removeEventListener('hashchange', on);
}
