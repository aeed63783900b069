import type { InputHTMLAttributes, ReactNode } from 'react';

/** Props that tie an input to its label, hint and error message. */
export function inputProps(id: string, error?: string, hint?: unknown) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : '';
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
}

/** A labelled form field with an optional hint and the field's error message under it. */
export function Field({
  id,
  label,
  error,
  hint,
  className,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input of text (or number, date, password...) in a Field; its test id is its id unless given. */
export function TextField({
  id,
  testId = id,
  label,
  error,
  hint,
  className,
  value,
  onChange,
  ...input
}: {
  id: string;
  testId?: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
  value: string;
  onChange: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'>) {
  return (
    <Field id={id} label={label} error={error} hint={hint} className={className}>
      <input
        {...inputProps(id, error, hint)}
        data-testid={testId}
        {...input}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}
