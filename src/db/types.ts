/**
 * Both engines return the same JavaScript types: int8 and numeric as numbers (money stays below 2^53),
 * dates as 'YYYY-MM-DD' strings, timestamps as Date.
 */
import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

const toNumber = (v: string) => (v === null ? null : Number(v));
const asDateString = (v: string) => v;

export const PGLITE_PARSERS = {
  [INT8]: toNumber,
  [NUMERIC]: toNumber,
  [DATE]: asDateString,
} as Record<number, (v: string, typeId?: number) => unknown>;

export function configurePgTypes(): void {
  pg.types.setTypeParser(INT8, toNumber);
  pg.types.setTypeParser(NUMERIC, toNumber);
  pg.types.setTypeParser(DATE, asDateString);
}
