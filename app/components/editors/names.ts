import { defaultClassName, PALETTE } from '../../editing/palette';

export function className(k: number, names: string[] | null): string {
  return names?.[k] ?? defaultClassName(k);
}

export function classLabel(k: number, names: string[] | null): string {
  return `${className(k, names)} (${PALETTE[k]?.name ?? '?'})`;
}
