import { memo, useMemo, useRef, useState } from 'react';
import type { LossDefinition, LossId } from '../../src';
import { CATEGORIES, getLoss, isImplemented, LOSSES } from '../../src';
import { currentCount, liveUpdateLanding, lossOrder } from '../compute/loss-order';
import { formatNumber } from '../format-number';
import { type AppState, useStore } from '../store';
import { GradientCanvas, useHeldGradientMap, useStale } from './GradientCanvas';
import { useLossError } from './useLossError';
import { useOffScreen } from './useOffScreen';

type SortKey = 'taxonomy' | 'name' | 'value' | 'change';

/**
 * The row's gradient thumbnail; the row's data-stale dims it (styles.css), so marking it stale writes nothing
 * here. Memoised: the row re-renders when it turns stale or current, which changes neither prop. While the table
 * is out of the viewport (`offScreen`) the thumbnail keeps its old pixels and computes nothing (25 small maps per
 * update, unseen); it says so (`data-stale`, dimmed) until the table scrolls into view and it is drawn again.
 */
const Thumb = memo(function Thumb({ id, name, offScreen }: { id: LossId; name: string; offScreen: boolean }) {
  const { map, behind } = useHeldGradientMap(id, 48, offScreen);
  if (!map) return <span className="thumb placeholder" />;
  return (
    <GradientCanvas map={map} className="thumb" label={`gradient thumbnail of ${name}`} lossId={id} stale={behind} />
  );
});

function ValueCell({ def }: { def: LossDefinition }) {
  const r = useStore((s) => s.results[def.id]);
  const on = useStore((s) => s.enabled[def.id]);
  const stale = useStale(def.id);
  const error = useLossError(def.id);
  if (!isImplemented(def)) return <span className="coming">coming</span>;
  if (!on) return <span className="muted">off</span>;
  if (!r) return <span className="muted">…</span>;
  if (error?.loading)
    return (
      <span className="muted" data-testid="loss-loading" data-loss-id={def.id}>
        {error.text}
      </span>
    );
  if (error)
    return (
      <span className="error" data-testid="loss-error" data-loss-id={def.id} title={error.text}>
        error: {error.text}
      </span>
    );
  return (
    // Stale: data-stale only (the row's data-stale dims it, styles.css). An edit marks all 25 rows stale at once,
    // and each attribute React writes is an element Blink restyles before the focused value can show.
    <span
      className={`value${r.nonFinite ? ' nonfinite' : ''}`}
      data-testid="loss-value"
      data-loss-id={def.id}
      data-value={String(r.value)}
      data-version={r.version}
      data-stale={stale ? 'true' : undefined}
      data-nonfinite={r.nonFinite ? 'true' : undefined}
      title={r.nonFinite ? 'non-finite value or gradient' : String(r.value)}
    >
      {formatNumber(r.value, 5)}
      {r.nonFinite && ' ⚠'}
    </span>
  );
}

function change(r: { value: number | null; previous: number | null } | undefined): number | null {
  if (!r || r.value === null || r.previous === null) return null;
  return r.value - r.previous;
}

/** How many enabled losses show a value of the current state, and whether the rest are still coming. */
function useProgress() {
  // Primitives only: the table re-renders when a count changes, not on every store update.
  const current = useStore(currentCount);
  const total = useStore((s) => lossOrder(s).length);
  // the same test the metrics client holds its request on
  const busy = useStore(liveUpdateLanding);
  return { current, total, busy };
}

type Sort = { key: SortKey; dir: 1 | -1 };

/** The row order as ids joined by spaces (a string, so the table re-renders only when the order changes). */
function rowOrder(s: AppState, sort: Sort): string {
  const list = [...LOSSES];
  const val = (d: LossDefinition) => {
    const r = s.results[d.id];
    const v = sort.key === 'value' ? (r?.value ?? null) : change(r);
    return v === null || !Number.isFinite(v) ? null : v;
  };
  if (sort.key === 'name') list.sort((a, b) => sort.dir * a.name.localeCompare(b.name));
  else if (sort.key === 'value' || sort.key === 'change')
    list.sort((a, b) => {
      const va = val(a);
      const vb = val(b);
      if (va === null && vb === null) return 0;
      if (va === null) return 1; // missing values always last
      if (vb === null) return -1;
      return sort.dir * (va - vb);
    });
  else if (sort.dir === -1) list.reverse();
  return list.map((d) => d.id).join(' ');
}

/**
 * One loss's row. Memoised, and subscribed to its own result only: a result landing re-renders its row,
 * not the other 24 (the table re-renders the rows on every update otherwise).
 */
const LossRow = memo(function LossRow({
  def,
  focused,
  compared,
  offScreen,
}: {
  def: LossDefinition;
  focused: boolean;
  compared: boolean;
  /** The table is off screen (see Thumb). */
  offScreen: boolean;
}) {
  const r = useStore((s) => s.results[def.id]);
  const stale = useStale(def.id);
  const on = useStore((s) => !!s.enabled[def.id]);
  const { setFocusedLoss } = useStore.getState();
  const implemented = isImplemented(def);
  const d = change(r);
  return (
    <tr className={focused ? 'focused' : undefined} data-loss-id={def.id} data-stale={stale ? 'true' : undefined}>
      <td className="muted">{LOSSES.indexOf(def) + 1}</td>
      <td>
        <button type="button" className="link" onClick={() => setFocusedLoss(def.id)}>
          {def.name}
        </button>
      </td>
      <td>
        <span className={`cat cat-${def.category}`}>{CATEGORIES.find((c) => c.id === def.category)?.name}</span>
      </td>
      <td className="num">
        <ValueCell def={def} />
      </td>
      <td className="num">
        {d === null ? (
          ''
        ) : (
          <span className={d > 0 ? 'up' : d < 0 ? 'down' : ''} data-testid="loss-change">
            {d > 0 ? '+' : ''}
            {formatNumber(d, 3)}
          </span>
        )}
      </td>
      <td>{implemented && on ? <Thumb id={def.id} name={def.name} offScreen={offScreen} /> : null}</td>
      <td className="num muted">{formatMs(r?.ms)}</td>
      <RowToggles def={def} on={implemented && on} compared={compared} />
    </tr>
  );
});

/**
 * The row's two checkboxes, memoised apart from the row: the row re-renders twice per edit (stale, then
 * current), and React re-applies an input's name and type on every render, which Blink counts as attribute
 * changes to restyle.
 */
const RowToggles = memo(function RowToggles({
  def,
  on,
  compared,
}: {
  def: LossDefinition;
  on: boolean;
  compared: boolean;
}) {
  const { setEnabled, toggleMultiple } = useStore.getState();
  return (
    <>
      <td>
        <input
          type="checkbox"
          aria-label={`compute ${def.name}`}
          disabled={!isImplemented(def)}
          checked={on}
          onChange={(e) => setEnabled(def.id, e.target.checked)}
        />
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={`compare ${def.name}`}
          checked={compared}
          onChange={() => toggleMultiple(def.id)}
        />
      </td>
    </>
  );
});

/** All 25 losses: value, change since the last edit, gradient thumbnail; sortable. */
export function LossTable() {
  const preparing = useStore((s) => s.preparing);
  const progress = useProgress();
  const multiples = useStore((s) => s.multiples);
  const focused = useStore((s) => s.focusedLoss);
  const [sort, setSort] = useState<Sort>({ key: 'taxonomy', dir: 1 });
  // Only the value and change sorts depend on the results: the others subscribe to nothing (the selector ran
  // on every store change, several per update).
  const byResults = sort.key === 'value' || sort.key === 'change';
  const fixedOrder = useMemo(() => rowOrder(useStore.getState(), sort), [sort]);
  const order = useStore((s) => (byResults ? rowOrder(s, sort) : fixedOrder));
  const rows = useMemo(() => order.split(' ').map((id) => getLoss(id as LossId)), [order]);
  const panel = useRef<HTMLElement>(null);
  const offScreen = useOffScreen(panel);

  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
        <button
          type="button"
          className="sort"
          onClick={() => setSort({ key, dir: active ? (sort.dir === 1 ? -1 : 1) : 1 })}
        >
          {label} {active ? (sort.dir === 1 ? '▲' : '▼') : ''}
        </button>
      </th>
    );
  };

  return (
    <section ref={panel} className="panel table-panel" aria-labelledby="table-title">
      <h2 id="table-title">All 25 losses</h2>
      <p className="table-status" data-testid="table-status" data-busy={progress.busy ? 'true' : 'false'}>
        {progress.busy
          ? `${preparing ?? 'updating…'} ${progress.current} of ${progress.total} current; dimmed values belong to an earlier state`
          : '\u00a0'}
      </p>
      <div className="table-scroll">
        <table className="loss-table" data-testid="loss-table" aria-busy={progress.busy ? 'true' : 'false'}>
          <thead>
            <tr>
              {header('taxonomy', '#')}
              {header('name', 'Loss')}
              <th scope="col">Category</th>
              {header('value', 'Value')}
              {header('change', 'Δ since edit')}
              <th scope="col">Gradient</th>
              <th scope="col" title="forward + backward time in the last update">
                ms
              </th>
              <th scope="col">On</th>
              <th scope="col">Compare</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((def) => (
              <LossRow
                key={def.id}
                def={def}
                focused={def.id === focused}
                compared={multiples.includes(def.id)}
                offScreen={offScreen}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? '' : ms.toFixed(1);
}
