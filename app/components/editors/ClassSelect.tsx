import { PALETTE } from '../../editing/palette';
import { className } from './names';

export function ClassSelect(props: {
  label: string;
  value: number;
  numClasses: number;
  names: string[] | null;
  onChange(c: number): void;
  testId: string;
  disabled?: boolean;
  /** The editor command that picks the class by key (app/components/editors/commands.ts), if any. */
  command?: { id: string; key: string };
}) {
  return (
    <label
      className="class-select"
      title={props.command ? `${props.label} (${props.command.key})` : undefined}
      data-command={props.command?.id}
    >
      {props.label} <span className="swatch" style={{ background: PALETTE[props.value]?.hex }} aria-hidden="true" />
      <select
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        data-testid={props.testId}
        disabled={props.disabled}
      >
        {Array.from({ length: props.numClasses }, (_, k) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: classes are indices
          <option key={k} value={k}>
            {k}: {className(k, props.names)}
          </option>
        ))}
      </select>
    </label>
  );
}
