// The store typed with the editors' slice (whatever AppState declares while the app shell evolves).
import type { StoreApi, UseBoundStore } from 'zustand';
import { type AppState, useStore } from '../../store';
import type { MasksSlice } from '../../store/masks';

export type EditorState = AppState & MasksSlice;
export const useEditorStore = useStore as unknown as UseBoundStore<StoreApi<EditorState>>;
