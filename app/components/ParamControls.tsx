import { useEffect, useState } from 'react';
import {
  type LossDefinition,
  ParamError,
  type ParamSpec,
  type Params,
  type ParamValue,
  resolveParams,
} from '../../src';
import { errorMessage } from '../messages';
import { acceptedRange, advancedFromLocation, formatRange, isWidened, rangeError } from '../param-range';
import { useStore } from '../store';

/** Parses the text of a control into a parameter value; throws with a readable message. */
function parse(spec: ParamSpec, text: string): ParamValue {
  const t = text.trim();
  switch (spec.kind) {
    case 'number': {
      if (t === '' && spec.nullMeaning !== undefined) return null;
      const v = Number(t);
      if (t === '' || Number.isNaN(v)) throw new Error(`“${text}” is not a number`);
      return v;
    }
    case 'vector': {
      if (t === '' || t === 'auto') return null;
      const parts = t.split(/[,\s]+/).filter(Boolean);
      const out = parts.map(Number);
      if (out.some((v) => Number.isNaN(v))) throw new Error(`“${text}” is not a list of numbers`);
      return out;
    }
    case 'matrix': {
      if (t === '' || t === 'auto') return null;
      let m: unknown;
      try {
        m = JSON.parse(t);
      } catch {
        throw new Error('write the matrix as JSON, e.g. [[0,1],[1,0]]');
      }
      return m as number[][];
    }
    default:
      return t;
  }
}

function show(v: ParamValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return Array.isArray(v[0]) ? JSON.stringify(v) : (v as number[]).join(', ');
  return String(v);
}

/** Log-scale slider position ↔ value (for parameters that span decades). */
function toSlider(spec: Extract<ParamSpec, { kind: 'number' }>, v: number): number {
  if (spec.scale !== 'log') return v;
  const lo = Math.max(spec.min, 1e-8);
  return Math.log10(Math.max(v, lo));
}
function fromSlider(spec: Extract<ParamSpec, { kind: 'number' }>, s: number): number {
  if (spec.scale !== 'log') return s;
  return Number((10 ** s).toPrecision(3));
}

function ParamControl({
  def,
  name,
  spec,
  value,
  numClasses,
}: {
  def: LossDefinition;
  name: string;
  spec: ParamSpec;
  value: ParamValue;
  numClasses: number;
}) {
  const setParam = useStore((s) => s.setParam);
  const current = useStore((s) => s.params[def.id]);
  const [text, setText] = useState(show(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(show(value)), [value]);

  /** Validates the whole parameter set with the library; only a valid value reaches the store. */
  function commit(next: ParamValue, raw?: string) {
    const candidate: Params = { ...(current ?? {}), [name]: next };
    // The library allows hardMin/hardMax; the explorer keeps to min..max unless ?advanced=1.
    const outOfRange =
      spec.kind === 'number' && (typeof next === 'number' || next === null)
        ? rangeError(spec, next, advancedFromLocation())
        : null;
    if (outOfRange) {
      setError(`${def.id}: parameter '${name}' ${outOfRange}`);
      if (raw !== undefined) setText(raw);
      return;
    }
    try {
      resolveParams(def.id, def.params, candidate, numClasses);
      setError(null);
      setParam(def.id, name, next);
    } catch (e) {
      setError(e instanceof ParamError ? e.message : String(e));
      if (raw !== undefined) setText(raw);
    }
  }
  function commitText(raw: string) {
    setText(raw);
    try {
      commit(parse(spec, raw), raw);
    } catch (e) {
      setError(`${def.id}: parameter '${name}' ${errorMessage(e)}; keeping ${show(value) || 'the default'}`);
    }
  }

  const id = `param-${def.id}-${name}`;
  const label = spec.label ?? name;
  let control: React.ReactNode;
  if (spec.kind === 'boolean') {
    control = <input id={id} type="checkbox" checked={value === true} onChange={(e) => commit(e.target.checked)} />;
  } else if (spec.kind === 'enum') {
    control = (
      <select id={id} value={String(value)} onChange={(e) => commit(e.target.value)}>
        {spec.options.map((o) => (
          <option key={o.value} value={o.value} title={o.doc}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'number') {
    const lo = spec.scale === 'log' ? Math.log10(Math.max(spec.min, 1e-8)) : spec.min;
    const hi = spec.scale === 'log' ? Math.log10(Math.max(spec.max, 1e-8)) : spec.max;
    const step = spec.scale === 'log' ? 0.05 : (spec.step ?? (spec.integer ? 1 : (spec.max - spec.min) / 100));
    control = (
      <span className="number-control">
        {Number.isFinite(lo) && Number.isFinite(hi) && hi > lo && (
          <input
            type="range"
            aria-label={`${label} slider`}
            min={lo}
            max={hi}
            step={step}
            value={typeof value === 'number' ? toSlider(spec, value) : lo}
            onChange={(e) => commit(fromSlider(spec, Number(e.target.value)))}
          />
        )}
        <input
          id={id}
          type="text"
          inputMode="decimal"
          className="num-input"
          value={text}
          placeholder={spec.nullMeaning ? 'auto' : undefined}
          onChange={(e) => setText(e.target.value)}
          onBlur={(e) => commitText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitText((e.target as HTMLInputElement).value);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-doc`}
        />
      </span>
    );
  } else {
    control = (
      <input
        id={id}
        type="text"
        value={text}
        placeholder={`auto (${spec.nullMeaning})`}
        onChange={(e) => setText(e.target.value)}
        onBlur={(e) => commitText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commitText((e.target as HTMLInputElement).value);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-doc`}
      />
    );
  }
  const advancedRange =
    spec.kind === 'number' && advancedFromLocation() && isWidened(spec)
      ? `, advanced: ${formatRange(acceptedRange(spec, true))}`
      : '';
  const range =
    spec.kind === 'number' ? ` [${spec.min}, ${spec.max}]${advancedRange}${spec.integer ? ', integer' : ''}` : '';
  return (
    <div className="param" data-param={name}>
      <label htmlFor={id}>
        {label}
        <span className="muted">{range}</span>
      </label>
      {control}
      <small id={`${id}-doc`} className="muted">
        {spec.doc}
        {'nullMeaning' in spec && spec.nullMeaning ? ` Empty = ${spec.nullMeaning}.` : ''}
      </small>
      {error && (
        <small role="alert" className="error" data-testid="param-error">
          {error}
        </small>
      )}
    </div>
  );
}

export function ParamControls({ def }: { def: LossDefinition }) {
  const overrides = useStore((s) => s.params[def.id]);
  const numClasses = useStore((s) => s.numClasses);
  const resetParams = useStore((s) => s.resetParams);
  const names = Object.keys(def.params);
  if (names.length === 0) return <p className="muted">No parameters.</p>;
  return (
    <div className="params">
      {names.map((n) => {
        const spec = def.params[n] as ParamSpec;
        const value = overrides && n in overrides ? (overrides[n] as ParamValue) : (spec.default as ParamValue);
        return <ParamControl key={n} def={def} name={n} spec={spec} value={value} numClasses={numClasses} />;
      })}
      <button type="button" onClick={() => resetParams(def.id)} disabled={!overrides}>
        Reset to defaults
      </button>
    </div>
  );
}
