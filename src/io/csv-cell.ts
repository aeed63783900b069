/**
 * One CSV cell, the same for every CSV we write (server exports and the web app's own downloads): no
 * dependency, so the web app imports it too.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`, `-` or
 * `@` (and, after a tab or carriage return, some do too) as a formula, e.g. a name imported as
 * `=HYPERLINK("http://evil.example/","click")`. Such text is written with a leading `'`, which Excel and
 * LibreOffice show as text and do not display. Numbers (JavaScript numbers, and text that is only a signed
 * decimal number such as "-12" or "-1.5") are left as they are: they are values, not formulas.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const SIGNED_NUMBER = /^[+-]?\d+([.,]\d+)?$/;

/** `text` made safe to open in a spreadsheet (see above). */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !SIGNED_NUMBER.test(text) ? `'${text}` : text;
}

/** One CSV cell: empty for null/undefined (and non-finite numbers), formulas neutralised, quoted when needed (RFC 4180). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const s = typeof value === 'number' ? String(value) : neutralizeFormula(String(value));
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
