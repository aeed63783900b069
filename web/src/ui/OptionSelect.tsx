import { inputProps } from './Field';

/**
 * A labelled <select> over a fixed list of values (roles, village kinds, ...): each option's text comes
 * from `label`, and only values of the list reach `onChange`.
 */
export function OptionSelect<T extends string>({
  id,
  testId,
  value,
  options,
  label,
  error,
  onChange,
}: {
  id: string;
  testId: string;
  value: T;
  options: readonly T[];
  label: (value: T) => string;
  error?: string;
  onChange: (value: T) => void;
}) {
  return (
    <select
      {...inputProps(id, error)}
      data-testid={testId}
      value={value}
      onChange={(e) => {
        const chosen = options.find((o) => o === e.target.value);
        if (chosen !== undefined) onChange(chosen);
      }}
    >
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );
}
