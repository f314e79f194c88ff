import { type HierarchyPointNode, hierarchy } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CATEGORIES, type Category, isImplemented, LOSSES, type LossDefinition } from '../../src';
import { useStore } from '../store';
import type { TaxonomyFilters } from '../store/ui';
import { matchesSearch } from '../taxonomy/search-text';

/** Okabe–Ito colours (colour-blind safe), one per category. */
export const CATEGORY_COLOURS: Record<Category, string> = {
  pixel: '#0072B2',
  region: '#009E73',
  boundary: '#D55E00',
  combination: '#CC79A7',
};

interface TreeDatum {
  key: string;
  label: string;
  kind: 'root' | 'category' | 'loss';
  category?: Category;
  def?: LossDefinition;
  total?: number;
  children?: TreeDatum[];
}

export function matchesFilters(def: LossDefinition, f: TaxonomyFilters): boolean {
  if (!f.categories[def.category]) return false;
  if (f.needsDistanceMap && !def.needs.includes('distance-map')) return false;
  if (f.binaryOnly && !def.binaryOnly) return false;
  if (f.hasReferenceCode && !def.hasReferenceCode) return false;
  // Names, the plain-language intuition and the card's text (app/taxonomy/search-text.ts).
  return matchesSearch(def, f.search);
}

const ROW = 21;
const COL = [6, 24, 44];
const WIDTH = 316;

export function TaxonomyTree() {
  const filters = useStore((s) => s.filters);
  const collapsed = useStore((s) => s.collapsed);
  const focused = useStore((s) => s.focusedLoss);
  const { setFilters, toggleCollapsed, setFocusedLoss } = useStore.getState();
  const [active, setActive] = useState<string>(`loss:${focused}`);
  const refs = useRef(new Map<string, SVGGElement>());
  const hasFocus = useRef(false);

  const data = useMemo<TreeDatum>(() => {
    const cats = CATEGORIES.filter((c) => filters.categories[c.id]).map((c) => {
      const all = LOSSES.filter((d) => d.category === c.id);
      const shown = all.filter((d) => matchesFilters(d, filters));
      return {
        key: `cat:${c.id}`,
        label: c.name,
        kind: 'category' as const,
        category: c.id,
        total: shown.length,
        children: collapsed[c.id]
          ? undefined
          : shown.map((d) => ({ key: `loss:${d.id}`, label: d.name, kind: 'loss' as const, category: c.id, def: d })),
      };
    });
    return { key: 'root', label: 'Segmentation losses', kind: 'root', children: cats };
  }, [filters, collapsed]);

  const nodes = useMemo(() => {
    // d3-hierarchy builds the tree (parents, depths, pre-order walk); the layout is an indented tree: one row
    // per node in pre-order (x), one column per depth (y). With 25 long names it reads better than a tidy tree.
    const root = hierarchy(data);
    const list: HierarchyPointNode<TreeDatum>[] = [];
    root.eachBefore((n) => {
      list.push(n as HierarchyPointNode<TreeDatum>);
    });
    list.forEach((n, i) => {
      n.x = i * ROW + ROW / 2 + 4;
      n.y = COL[n.depth] ?? 0;
    });
    return list;
  }, [data]);

  const keys = nodes.map((n) => n.data.key);
  const activeKey = keys.includes(active) ? active : (keys[0] ?? 'root');

  // Keep the active node in sync with the focused loss when it changes elsewhere.
  useEffect(() => {
    setActive(`loss:${focused}`);
  }, [focused]);

  useEffect(() => {
    if (hasFocus.current) refs.current.get(activeKey)?.focus();
  }, [activeKey]);

  function select(n: HierarchyPointNode<TreeDatum>) {
    if (n.data.kind === 'loss' && n.data.def) setFocusedLoss(n.data.def.id);
    else if (n.data.kind === 'category' && n.data.category) toggleCollapsed(n.data.category);
  }

  function onKeyDown(e: React.KeyboardEvent) {
    const i = keys.indexOf(activeKey);
    const n = nodes[i];
    if (!n) return;
    const move = (k: string | undefined) => {
      if (k) {
        e.preventDefault();
        setActive(k);
      }
    };
    switch (e.key) {
      case 'ArrowDown':
        move(keys[Math.min(keys.length - 1, i + 1)]);
        break;
      case 'ArrowUp':
        move(keys[Math.max(0, i - 1)]);
        break;
      case 'Home':
        move(keys[0]);
        break;
      case 'End':
        move(keys[keys.length - 1]);
        break;
      case 'ArrowRight':
        if (n.data.kind === 'category' && n.data.category && collapsed[n.data.category]) {
          e.preventDefault();
          toggleCollapsed(n.data.category);
        } else move(n.children?.[0]?.data.key);
        break;
      case 'ArrowLeft':
        if (n.data.kind === 'category' && n.data.category && !collapsed[n.data.category]) {
          e.preventDefault();
          toggleCollapsed(n.data.category);
        } else move(n.parent?.data.key);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        select(n);
        break;
    }
  }

  const height = nodes.length * ROW + 10;
  const siblings = (n: HierarchyPointNode<TreeDatum>) => n.parent?.children ?? [n];

  return (
    <section className="panel taxonomy" aria-labelledby="taxonomy-title">
      <h2 id="taxonomy-title">Taxonomy</h2>
      <div className="filters">
        <input
          type="search"
          placeholder="Search losses…"
          aria-label="Search losses"
          value={filters.search}
          onChange={(e) => setFilters({ search: e.target.value })}
        />
        {filters.search.trim() && !LOSSES.some((d) => matchesFilters(d, filters)) && (
          <p role="status" className="muted" data-testid="taxonomy-no-match">
            No loss matches “{filters.search.trim().slice(0, 60)}” with these filters. Search looks in names, the
            plain-language texts and the cards (papers, variants, pitfalls).
          </p>
        )}
        <fieldset className="filter-row">
          <legend className="sr-only">Categories</legend>
          {CATEGORIES.map((c) => (
            <label key={c.id} style={{ color: CATEGORY_COLOURS[c.id] }}>
              <input
                type="checkbox"
                checked={filters.categories[c.id]}
                onChange={(e) => setFilters({ categories: { ...filters.categories, [c.id]: e.target.checked } })}
              />
              {c.id}
            </label>
          ))}
        </fieldset>
        <fieldset className="filter-row">
          <legend className="sr-only">Properties</legend>
          <label>
            <input
              type="checkbox"
              checked={filters.needsDistanceMap}
              onChange={(e) => setFilters({ needsDistanceMap: e.target.checked })}
            />
            needs distance map
          </label>
          <label>
            <input
              type="checkbox"
              checked={filters.binaryOnly}
              onChange={(e) => setFilters({ binaryOnly: e.target.checked })}
            />
            binary only
          </label>
          <label>
            <input
              type="checkbox"
              checked={filters.hasReferenceCode}
              onChange={(e) => setFilters({ hasReferenceCode: e.target.checked })}
            />
            has reference code
          </label>
        </fieldset>
      </div>
      <div
        role="tree"
        aria-label="Loss taxonomy"
        className="tree-wrap"
        onKeyDown={onKeyDown}
        onFocus={() => {
          hasFocus.current = true;
        }}
        onBlur={() => {
          hasFocus.current = false;
        }}
      >
        <svg className="tree" width={WIDTH} height={height} viewBox={`0 0 ${WIDTH} ${height}`} role="presentation">
          <g className="links">
            {nodes
              .filter((n) => n.parent)
              .map((n) => {
                const p = n.parent as HierarchyPointNode<TreeDatum>;
                return (
                  <path
                    key={`l-${n.data.key}`}
                    d={`M${p.y + 6},${p.x + 6} V${n.x} H${n.y}`}
                    fill="none"
                    stroke="#c5cad3"
                  />
                );
              })}
          </g>
          {nodes.map((n) => {
            const d = n.data;
            const colour = d.category ? CATEGORY_COLOURS[d.category] : '#333';
            const implemented = d.def ? isImplemented(d.def) : true;
            const isFocused = d.kind === 'loss' && d.def?.id === focused;
            const sib = siblings(n);
            const name =
              d.kind === 'loss' && d.def
                ? `${d.label}, ${d.category} level, ${implemented ? 'implemented' : 'coming'}`
                : d.kind === 'category'
                  ? `${d.label}, ${d.total} losses`
                  : d.label;
            return (
              <g
                key={d.key}
                ref={(el) => {
                  if (el) refs.current.set(d.key, el);
                  else refs.current.delete(d.key);
                }}
                transform={`translate(${n.y},${n.x})`}
                role="treeitem"
                tabIndex={d.key === activeKey ? 0 : -1}
                aria-level={n.depth + 1}
                aria-posinset={sib.indexOf(n) + 1}
                aria-setsize={sib.length}
                aria-selected={isFocused}
                aria-expanded={d.kind === 'category' ? !collapsed[d.category as Category] : undefined}
                aria-label={name}
                aria-disabled={d.kind === 'loss' && !implemented ? true : undefined}
                data-testid={
                  d.kind === 'loss' ? 'taxonomy-node' : d.kind === 'category' ? 'taxonomy-category' : undefined
                }
                data-loss-id={d.def?.id}
                data-category={d.kind === 'category' ? d.category : undefined}
                data-active={d.key === activeKey ? 'true' : undefined}
                className={`node node-${d.kind}${isFocused ? ' selected' : ''}${implemented ? '' : ' coming'}`}
                onClick={() => {
                  setActive(d.key);
                  select(n);
                }}
              >
                <rect className="hit" x={-4} y={-ROW / 2 + 2} width={WIDTH - n.y} height={ROW - 2} rx={4} />
                {d.kind === 'category' ? (
                  <text className="twisty" x={0} y={4} fill={colour}>
                    {collapsed[d.category as Category] ? '▸' : '▾'}
                  </text>
                ) : (
                  <circle
                    r={d.kind === 'root' ? 5 : 4.5}
                    fill={implemented ? colour : '#fff'}
                    stroke={colour}
                    strokeWidth={1.5}
                  />
                )}
                <text x={12} y={4} className="label" fill={d.kind === 'category' ? colour : undefined}>
                  {d.label}
                  {d.kind === 'category' ? ` (${d.total})` : ''}
                  {d.kind === 'loss' && !implemented ? ' · coming' : ''}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}
