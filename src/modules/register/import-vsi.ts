/**
 * The voluntary social insurance sheet of a register import (docs/import-format.md, decisions.md): the
 * workbook's further sheets are read in the same pass as the first (src/io/excel.ts); the one whose
 * header names the period columns ("BHXH tự nguyện" as the export writes it) gives one period per row,
 * the person keyed by citizen id, else social insurance code, found in the register once the first
 * sheet's rows are written (so a person new in the same file is found).
 *
 * 1. `add` keeps the sheet's rows as read (few: 1-3% of a province's persons take part).
 * 2. `check` (after the reading): each row's cells and the rules in force on its first day
 *    (src/domain/vsi-period.ts); returns the rows refused.
 * 3. `apply` (in the import's transaction, after the persons): finds each person (in the actor's scope),
 *    leaves a period the register already has as it is ("unchanged": a re-imported export changes nothing),
 *    refuses one that overlaps another of the person's (in the register or the file), inserts the others.
 * Every refusal is an error row of the import's report, with the sheet's row number: the import's
 * all-or-nothing (or `validRowsOnly`) applies to them as to the first sheet's rows.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { formatDateVi } from '../../domain/dates';
import type { BaseSalaryRule } from '../../domain/premium-rules';
import type { VsiRuleSet } from '../../domain/voluntary-si-rules';
import { checkVsiPeriod } from '../../domain/vsi-period';
import { mapVsiHeader, parseVsiRow, type VsiColumn, type VsiSource } from '../../domain/vsi-row';
import type { CellValue } from '../../io/excel';
import * as repo from './import.repository';

const FIELD_COLUMN: Record<string, VsiColumn> = { validFrom: 'valid_from', validTo: 'valid_to', monthlyIncome: 'monthly_income', paymentMonths: 'payment_months' };

/** An error row: the import's addError with the sheet named in the message. */
export type VsiError = (row: number, column: string, value: unknown, key: string, params?: Record<string, unknown>) => void;

interface GoodRow {
  rowNo: number;
  citizenId?: string;
  insuranceCode?: string;
  validFrom: string;
  validTo: string;
  monthlyIncome: number;
  paymentMonths: number;
  source: VsiSource;
}

export interface VsiImportCounts {
  rows: number;
  inserted: number;
  unchanged: number;
  rejected: number;
}

export class VsiSheet {
  name: string | undefined;
  private columns: (VsiColumn | null)[] | undefined;
  private readonly ignored = new Set<string>();
  private rows: { rowNo: number; cells: CellValue[] }[] = [];
  private good: GoodRow[] = [];
  /** The file's own heading of each period column, keyed 'vsi_<column>' (the error report's headings). */
  readonly headings: Record<string, string> = {};
  readonly counts: VsiImportCounts = { rows: 0, inserted: 0, unchanged: 0, rejected: 0 };

  /** A row of a sheet after the first (src/io/excel.ts OtherSheetRows). */
  add = (sheet: string, rowNumber: number, cells: CellValue[]): void => {
    if (this.name !== undefined) {
      if (sheet === this.name) this.rows.push({ rowNo: rowNumber, cells });
      return;
    }
    if (this.ignored.has(sheet)) return;
    const columns = mapVsiHeader(cells);
    // a sheet of something else (the template's guide, notes): not read
    if (!columns) return void this.ignored.add(sheet);
    this.name = sheet;
    this.columns = columns;
    columns.forEach((c, i) => {
      if (c) this.headings[`vsi_${c}`] = String(cells[i] ?? '').trim();
    });
  };

  get found(): boolean {
    return this.name !== undefined;
  }

  /** Checks each row's cells and the rules; reports the bad rows and returns how many were refused. */
  check(error: VsiError, rules: VsiRuleSet, baseSalaries: readonly BaseSalaryRule[]): number {
    if (!this.columns) return 0;
    let rejected = 0;
    for (const { rowNo, cells } of this.rows) {
      this.counts.rows++;
      const { row, errors } = parseVsiRow(this.columns, cells);
      for (const e of errors) error(rowNo, `vsi_${e.column}`, e.value, e.code);
      let ok = errors.length === 0;
      if (ok) {
        const period = { validFrom: row.validFrom!, validTo: row.validTo!, monthlyIncome: row.monthlyIncome!, paymentMonths: row.paymentMonths! };
        for (const p of checkVsiPeriod(period, rules, baseSalaries)) {
          ok = false;
          const column = FIELD_COLUMN[p.field];
          error(rowNo, `vsi_${column}`, (period as Record<string, unknown>)[p.field], `register:fields.${p.code}`, p.params);
        }
        if (ok) this.good.push({ rowNo, citizenId: row.citizenId, insuranceCode: row.insuranceCode, source: row.source, ...period });
      }
      if (!ok) rejected++;
    }
    this.rows = [];
    this.counts.rejected += rejected;
    return rejected;
  }

  /** Writes the good rows' periods (see the file's comment); returns how many rows were refused here. */
  async apply(trx: Kysely<DB>, error: VsiError, inScope: (communeCode: string) => boolean): Promise<number> {
    if (this.good.length === 0) return 0;
    const citizenIds = [...new Set(this.good.flatMap((r) => (r.citizenId ? [r.citizenId] : [])))];
    const insuranceCodes = [...new Set(this.good.flatMap((r) => (!r.citizenId && r.insuranceCode ? [r.insuranceCode] : [])))];
    const persons = await repo.personsByKeys(trx, citizenIds, insuranceCodes);
    const byCitizen = new Map(persons.filter((p) => p.citizenId).map((p) => [p.citizenId!, p]));
    const byInsurance = new Map(persons.filter((p) => p.insuranceCode).map((p) => [p.insuranceCode!, p]));
    const existing = new Map<string, { validFrom: string; validTo: string; monthlyIncome: number; paymentMonths: number }[]>();
    for (const e of await repo.vsiPeriodsOf(trx, [...new Map(persons.map((p) => [p.id, p])).values()])) {
      const list = existing.get(e.personId) ?? [];
      list.push(e);
      existing.set(e.personId, list);
    }
    let rejected = 0;
    const inserts: Parameters<typeof repo.insertVsiPeriods>[1] = [];
    for (const r of this.good) {
      const key = r.citizenId ?? r.insuranceCode!;
      const column = r.citizenId ? 'vsi_citizen_id' : 'vsi_insurance_code';
      const person = r.citizenId ? byCitizen.get(r.citizenId) : byInsurance.get(r.insuranceCode!);
      if (!person) {
        error(r.rowNo, column, key, 'vsi_unknown_person', { value: key });
        rejected++;
        continue;
      }
      if (!inScope(person.communeCode)) {
        error(r.rowNo, column, key, 'vsi_out_of_scope', { value: key });
        rejected++;
        continue;
      }
      const periods = existing.get(person.id) ?? [];
      const same = periods.find((p) => p.validFrom === r.validFrom && p.validTo === r.validTo && p.monthlyIncome === r.monthlyIncome && p.paymentMonths === r.paymentMonths);
      if (same) {
        this.counts.unchanged++;
        continue;
      }
      const overlap = periods.find((p) => p.validTo >= r.validFrom && p.validFrom <= r.validTo);
      if (overlap) {
        error(r.rowNo, 'vsi_valid_from', formatDateVi(r.validFrom), 'vsi_overlap', { from: formatDateVi(overlap.validFrom), to: formatDateVi(overlap.validTo) });
        rejected++;
        continue;
      }
      const period = { householdId: person.householdId, id: randomUUID(), personId: person.id, validFrom: r.validFrom, validTo: r.validTo, monthlyIncome: r.monthlyIncome, paymentMonths: r.paymentMonths, source: r.source };
      periods.push(period);
      existing.set(person.id, periods);
      inserts.push(period);
    }
    await repo.insertVsiPeriods(trx, inserts);
    this.counts.inserted = inserts.length;
    this.counts.rejected += rejected;
    return rejected;
  }
}
