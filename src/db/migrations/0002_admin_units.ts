/**
 * Loads the administrative units in force since 1 July 2025 and the pre-2025 commune mapping from the
 * project's copy in data/reference (provenance in data/reference/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { PROJECT_ROOT } from '../../config';
import { foldVietnamese } from '../../domain/text';

export const REFERENCE_DIR = path.join(PROJECT_ROOT, 'data', 'reference');

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8').trim().split(/\r?\n/);
  const cols = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, (cells[i] ?? '').normalize('NFC')]));
  });
}

async function insertInBatches(db: Kysely<any>, table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insertInto(table).values(rows.slice(i, i + 1000)).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  const units = readCsv('admin-units-2025-07-01.csv');
  const rows = units.map((u) => ({
    code: u.code,
    name: u.name,
    search_name: foldVietnamese(u.name),
    level: u.level,
    kind: u.kind,
    parent_code: u.parent_code || null,
    local_code: u.code,
  }));
  // provinces first: communes reference them
  await insertInBatches(db, 'unit', rows.filter((r) => r.level === 'province'));
  await insertInBatches(db, 'unit', rows.filter((r) => r.level === 'commune'));

  const mapping = readCsv('commune-mapping-2025-07-01.csv');
  await insertInBatches(db, 'commune_mapping', mapping);
}
