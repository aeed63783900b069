/**
 * The demo register: a realistic, deterministic province (src/domain/demo-population.ts) written as the
 * import template and loaded through the real import, so the demo exercises the same path as users' files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { Database } from '../../db/connect';
import type { Actor } from '../../domain/access';
import { demoRegisterRows, generateDemoPopulation } from '../../domain/demo-population';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { csvLine } from '../../io/csv';
import { AppError } from '../../errors';
import { listChildren, getUnit } from '../units/units.service';
import { importRegister, type ImportProgress, type ImportReport } from './import.service';
import { anyPerson } from './register.repository';

export interface DemoOptions {
  province: string;
  persons: number;
  seed: number;
  today: string;
  onProgress?: (p: ImportProgress) => void;
}

/** Writes the demo province as a template CSV; returns its path. */
export async function writeDemoFile(database: Database, actor: Actor, options: Omit<DemoOptions, 'onProgress'>, file: string): Promise<string> {
  const { unit } = await getUnit(database.db, actor, options.province);
  if (unit.level !== 'province') throw new AppError('validation', {}, [{ path: 'province', key: 'unknown_unit', params: { code: options.province } }]);
  const communes = (await listChildren(database.db, actor, unit.code)).map((c) => ({ code: c.code, name: c.name }));
  const out = fs.createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(CANONICAL_COLUMNS.join(','));
  for (const household of generateDemoPopulation({ communes, persons: options.persons, seed: options.seed, today: options.today, provinceName: unit.name })) {
    // the template holds one card per person: the one in force today when there is one (a renewal bought
    // ahead would otherwise hide it), else the latest
    const members = household.members.map((p) => {
      const current = p.cards.filter((c) => c.from <= options.today && options.today <= c.to);
      return current.length ? { ...p, cards: current.slice(-1) } : p;
    });
    for (const row of demoRegisterRows({ ...household, members })) await write(csvLine(CANONICAL_COLUMNS.map((c) => row[c])));
  }
  out.end();
  await once(out, 'finish');
  return file;
}

export async function loadDemo(database: Database, actor: Actor, options: DemoOptions): Promise<ImportReport> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-demo-')), `demo-${options.province}-${options.seed}.csv`);
  try {
    await writeDemoFile(database, actor, options, file);
    return await importRegister(database, actor, { path: file }, { today: options.today, onProgress: options.onProgress });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export async function registerIsEmpty(database: Database): Promise<boolean> {
  return !(await anyPerson(database.db));
}
