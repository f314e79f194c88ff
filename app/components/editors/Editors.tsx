// PLACEHOLDER (owned by the editors work): the ground-truth and prediction editors, side by side.
export function Editors() {
  return <section aria-label="Editors">Editors are coming.</section>;
}
