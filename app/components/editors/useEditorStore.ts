// The editors' name for the app store (AppState includes the masks slice; no cast needed).
import { type AppState, useStore } from '../../store';

export type EditorState = AppState;
export const useEditorStore = useStore;
