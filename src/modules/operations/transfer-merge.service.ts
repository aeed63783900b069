/**
 * A commune's register onto the province's server: the households of the communes, their persons, cards,
 * groups, voluntary-insurance periods, the coverage counts kept per commune, the communes' villages and
 * audit rows go from the embedded database into a server that already holds other communes, in one
 * transaction checked against the source before it commits. Refused, naming the conflicts, when the server
 * already holds data of one of these communes. What the merge does not carry (programmes, outreach,
 * campaigns, plans, users) stays in the embedded database and is named (docs/decisions.md, "Merging a
 * commune into the province's server").
 */
import type { Database, Session } from '../../db/connect';
import type { Actor } from '../../domain/access';
import { AppError } from '../../errors';
import { audit } from '../audit/audit.service';
import { factDifferences, pinTextOutput, rowsFact, type DatabaseFacts, type TableFact } from './database-facts.repository';
import {
  codeList,
  collectorVillageRows,
  derivedTables,
  knownCommunes,
  mergedTables,
  missingCardReferences,
  rowsPerCommune,
  selection,
  selectionQuery,
  unitKeyedTables,
  unitRows,
  villageRows,
  unitsLike,
  villagesOf,
  type CommuneRows,
  type MergedTable,
} from './transfer-merge.repository';
import { compareTables, inTransactions, requireCurrent, sameColumns, type TransferTable } from './transfer.service';

export interface MergeOptions {
  communes: string[];
  from: string;
  to: string;
  /** Merge the register even when the embedded database holds other data of the communes (it stays there). */
  registerOnly?: boolean;
  /** Tests only: changes the target after the copy, before the check. */
  beforeCheck?: (target: Session) => Promise<void>;
}

export interface MergeReport {
  communes: string[];
  from: string;
  to: string;
  /** Rows of the communes per table, in the source and on the server after the merge. */
  tables: TransferTable[];
  /** Villages added to the server's units. */
  villages: number;
  /** Data of the communes the merge did not carry (with --register-only), per table. */
  leftBehind: CommuneRows[];
  differences: string[];
  committed: boolean;
}

/** "02905: household 108, person 458; 02908: visit 3" */
function describeRows(rows: CommuneRows[]): string {
  const byCommune = new Map<string, string[]>();
  for (const r of rows) byCommune.set(r.commune, [...(byCommune.get(r.commune) ?? []), `${r.table} ${r.rows}`]);
  return [...byCommune].map(([commune, tables]) => `${commune}: ${tables.join(', ')}`).join('; ');
}

export async function mergeCommunes(source: Database, target: Database, actor: Actor, options: MergeOptions): Promise<MergeReport> {
  if (actor.role !== 'admin') throw new AppError('forbidden');
  const codes = [...new Set(options.communes)].sort();
  if (!codes.length) throw new AppError('validation', {}, [{ path: 'commune', key: 'required' }]);
  try {
    codeList(codes);
  } catch {
    throw new AppError('validation', {}, [{ path: 'commune', key: 'invalid_format' }]);
  }
  await requireCurrent(source, 'transfer_source_not_current');
  await requireCurrent(target, 'transfer_target_not_current');
  for (const db of [source.db, target.db]) {
    const known = await knownCommunes(db, codes);
    const unknown = codes.find((c) => !known.includes(c));
    if (unknown) throw new AppError('validation', {}, [{ path: 'commune', key: 'unknown_unit', params: { code: unknown } }]);
  }

  // has the commune been on the server? any of its rows in a table kept per commune, or a village of the same code elsewhere
  const keyed = await unitKeyedTables(target.db);
  const onTarget = await rowsPerCommune(target.db, codes, keyed.filter((k) => k.column === 'commune_code'));
  const villages = await villagesOf(source.db, codes);
  const like = await unitsLike(target.db, villages);
  const villageConflicts = villages.flatMap((v) =>
    like
      .filter((u) => (u.code === v.code && u.parentCode !== v.parentCode) || (u.code !== v.code && u.parentCode === v.parentCode && u.localCode === v.localCode))
      .map((u) => `${v.parentCode}: unit ${v.code} / ${u.code} (${u.parentCode})`),
  );
  if (onTarget.length || villageConflicts.length)
    throw new AppError('transfer_commune_on_target', { conflicts: [describeRows(onTarget), ...villageConflicts].filter(Boolean).join('; ') });

  const missing = await missingCardReferences(source.db, target.db, codes);
  if (missing.collectors.length || missing.facilities.length)
    throw new AppError('transfer_missing_references', { collectors: missing.collectors.join(', ') || '-', facilities: missing.facilities.join(', ') || '-' });

  const merged = mergedTables(codes);
  const derived = derivedTables(codes);
  const carried = new Set([...merged, ...derived].map((m) => m.table));
  const units = [...codes, ...villages.map((v) => v.code)];
  const leftBehind = await rowsPerCommune(source.db, units, (await unitKeyedTables(source.db)).filter((k) => !carried.has(k.table)));
  if (leftBehind.length && !options.registerOnly) throw new AppError('transfer_merge_leaves_data', { tables: describeRows(leftBehind) });

  const existing = new Set(like.map((u) => u.code));
  const newVillages = villages.filter((v) => !existing.has(v.code)).map((v) => v.code);
  // new villages come with the collectors that serve them; villages the server has keep the server's
  const addVillages: MergedTable[] = newVillages.length ? [unitRows(newVillages), collectorVillageRows(newVillages)] : [];

  return inTransactions(source, target, async (src, dst) => {
    const columns = await sameColumns(src, dst);
    // villages first, then each table in the order of its foreign keys; the server's triggers stay on
    for (const { table, where } of [...addVillages, ...merged]) {
      const cols = columns.get(table)!;
      const data = await src.copyOut(selectionQuery(table, cols, where));
      await dst.copyBinary(table, cols, data);
    }
    await options.beforeCheck?.(dst);
    const checked = [villageRows(codes), ...addVillages.slice(1), ...merged, ...derived];
    const before = await factsOf(src, checked, columns);
    const after = await factsOf(dst, checked, columns);
    const differences = factDifferences(before, after);
    const report: MergeReport = {
      communes: codes,
      from: options.from,
      to: options.to,
      tables: compareTables(before, after),
      villages: newVillages.length,
      leftBehind,
      differences,
      committed: differences.length === 0,
    };
    if (report.committed)
      for (const code of codes)
        await audit(dst.db, actor, {
          action: 'commune_merge',
          entity: 'unit',
          entityId: code,
          unitCode: code,
          after: {
            source: options.from,
            rowCount: report.tables.filter((t) => merged.some((m) => m.table === t.table)).reduce((sum, t) => sum + t.source, 0),
            mergedCommunes: codes,
            leftBehind: leftBehind.map((r) => `${r.commune}: ${r.table} ${r.rows}`),
          },
        });
    return report;
  });
}

/** Count and checksum of the communes' rows in each table, as DatabaseFacts (no ledger: programmes are not merged). */
async function factsOf(session: Session, tables: MergedTable[], columns: Map<string, string[]>): Promise<DatabaseFacts> {
  await pinTextOutput(session.db);
  const out: TableFact[] = [];
  for (const { table, where } of tables) out.push(await rowsFact(session.db, table, selection(table, columns.get(table)!, where)));
  return { migration: null, tables: out, ledger: [] };
}
