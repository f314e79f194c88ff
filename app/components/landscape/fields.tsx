// Input controls shared by the landscape panel and the compare view: a number field that keeps the text the
// user typed (NaN while empty, so validation can say so) and a direction picker.
import { useState } from 'react';
import { directionInfo, LANDSCAPE_DIRECTIONS, type LandscapeDirection } from '../../../src';

export function NumberField(props: {
  label: string;
  value: number;
  onValue: (v: number) => void;
  testId: string;
  step?: number;
  min?: number;
  max?: number;
}) {
  // The field is the only writer of its setting, so its text is the source of truth after the first render.
  const [text, setText] = useState(String(props.value));
  return (
    <label className="landscape-field">
      {props.label}{' '}
      <input
        type="number"
        className="num-input"
        value={text}
        step={props.step ?? 0.1}
        min={props.min}
        max={props.max}
        data-testid={props.testId}
        onChange={(e) => {
          setText(e.target.value);
          const v = e.target.value.trim() === '' ? Number.NaN : Number(e.target.value);
          props.onValue(v);
        }}
      />
    </label>
  );
}

export function DirectionSelect(props: {
  label: string;
  value: LandscapeDirection;
  onChange: (d: LandscapeDirection) => void;
  testId: string;
}) {
  return (
    <label>
      {props.label}{' '}
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as LandscapeDirection)}
        data-testid={props.testId}
      >
        {LANDSCAPE_DIRECTIONS.map((d) => (
          <option key={d} value={d} title={directionInfo(d).definition}>
            {directionInfo(d).name}
          </option>
        ))}
      </select>
    </label>
  );
}
