// UI slice: backend status, notices and view state that is not worth persisting.
import type { StateCreator } from 'zustand';
import type { Category } from '../../src';
import type { BackendInfo } from '../backend/select';
import { boundNotice } from '../messages';
import type { AppState } from './index';

export interface TaxonomyFilters {
  search: string;
  categories: Record<Category, boolean>;
  needsDistanceMap: boolean;
  binaryOnly: boolean;
  hasReferenceCode: boolean;
}

export interface UiSlice {
  backend: BackendInfo | null;
  backendStatus: 'starting' | 'ready' | 'failed';
  backendError: string | null;
  /** Messages for the user (session restore problems, storage full …). */
  notices: { id: number; text: string; kind: 'info' | 'error' }[];
  /** Set while saving the session fails (storage full, private mode): edits since `since` will not survive a reload. */
  saveFailure: { message: string; since: number } | null;
  filters: TaxonomyFilters;
  collapsed: Partial<Record<Category, boolean>>;
  /** The compute backend is being (re)started. */
  backendStarting(): void;
  backendReady(info: BackendInfo): void;
  backendFailed(error: string): void;
  /** Replaces the backend error shown (e.g. after falling back to the previous backend). */
  setBackendError(error: string | null): void;
  pushNotice(text: string, kind?: 'info' | 'error'): void;
  dismissNotice(id: number): void;
  /** Records a failed save (the first failure of a streak keeps its time) or, with null, a successful one. */
  setSaveFailure(message: string | null): void;
  setFilters(f: Partial<TaxonomyFilters>): void;
  toggleCollapsed(c: Category): void;
}

let noticeId = 1;

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  backend: null,
  backendStatus: 'starting',
  backendError: null,
  notices: [],
  saveFailure: null,
  filters: {
    search: '',
    categories: { pixel: true, region: true, boundary: true, combination: true },
    needsDistanceMap: false,
    binaryOnly: false,
    hasReferenceCode: false,
  },
  collapsed: {},
  backendStarting: () => set({ backendStatus: 'starting', backendError: null }),
  backendReady: (backend) => set({ backend, backendStatus: 'ready' }),
  backendFailed: (backendError) => set({ backend: null, backendStatus: 'failed', backendError }),
  setBackendError: (backendError) => set({ backendError }),
  pushNotice: (text, kind = 'info') =>
    set((s) => ({ notices: [...s.notices, { id: noticeId++, text: boundNotice(text), kind }] })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  setSaveFailure: (message) =>
    set((s) => ({
      saveFailure:
        message === null ? null : { message: boundNotice(message), since: s.saveFailure?.since ?? Date.now() },
    })),
  setFilters: (f) => set((s) => ({ filters: { ...s.filters, ...f } })),
  toggleCollapsed: (c) => set((s) => ({ collapsed: { ...s.collapsed, [c]: !s.collapsed[c] } })),
});
