import type { ReactNode } from 'react';

/** A column heading: its text, or the text with the header cell's class ('num' right-aligns figures). */
export type Column = ReactNode | { label: ReactNode; className?: string; /** for screen readers only (an actions column) */ hidden?: boolean };

function isColumn(c: Column): c is { label: ReactNode; className?: string; hidden?: boolean } {
  return typeof c === 'object' && c !== null && 'label' in c;
}

/**
 * The app's table: headings in a `thead`, the rows given as children in the `tbody`, totals in `foot`, inside a
 * horizontally scrolling `table-wrap` (unless `wrap` is false).
 */
export function DataTable({
  columns,
  testId,
  className,
  wrap = true,
  wrapClassName,
  foot,
  children,
}: {
  columns: Column[];
  testId?: string;
  /** classes added to `table` */
  className?: string;
  wrap?: boolean;
  /** classes added to `table-wrap` */
  wrapClassName?: string;
  /** rows of the `tfoot` (totals) */
  foot?: ReactNode;
  children: ReactNode;
}) {
  const table = (
    <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c, i) =>
            isColumn(c) ? (
              <th key={i} scope="col" className={c.className}>
                {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
              </th>
            ) : (
              <th key={i} scope="col">
                {c}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
      {foot && <tfoot>{foot}</tfoot>}
    </table>
  );
  return wrap ? <div className={wrapClassName ? `table-wrap ${wrapClassName}` : 'table-wrap'}>{table}</div> : table;
}
