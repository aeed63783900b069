/**
 * A day typed as dd/MM/yyyy (the app's date format; a browser's own date input shows the browser's locale,
 * often MM/dd/yyyy) whose value is an ISO day: `onChange` gets the ISO day once the text is a valid date.
 */
import { useEffect, useState } from 'react';
import { formatDate, parseDayMonthYear } from '../format';
import { DayInput } from '../register/HouseholdBits';

export function IsoDayInput({ id, testId = id, value, onChange }: { id: string; testId?: string; value: string; onChange: (iso: string) => void }) {
  const [text, setText] = useState(formatDate(value || null));
  useEffect(() => {
    // a value set from outside (the server's day) shows; the user's own typing is kept while it is not a date yet
    if (value && parseDayMonthYear(text) !== value) setText(formatDate(value));
  }, [value]);
  return (
    <DayInput
      id={id}
      testId={testId}
      value={text}
      onChange={(next) => {
        setText(next);
        const iso = parseDayMonthYear(next);
        if (iso) onChange(iso);
      }}
    />
  );
}
