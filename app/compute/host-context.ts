// The compute host, handed to the panels explicitly: main.tsx provides it once created (null until then).
import { createContext, useContext } from 'react';
import type { ComputeHost } from './host';

export const ComputeHostContext = createContext<ComputeHost | null>(null);

export function useComputeHost(): ComputeHost | null {
  return useContext(ComputeHostContext);
}
