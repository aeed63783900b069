/**
 * The demo register: a realistic, deterministic province (src/domain/demo-population.ts) written as the
 * import template and loaded through the real import, so the demo exercises the same path as users' files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import readline from 'node:readline';
import type { Database } from '../../db/connect';
import type { Actor } from '../../domain/access';
import { demoRegisterRows, generateDemoPopulation } from '../../domain/demo-population';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { csvLine } from '../../io/csv';
import { AppError } from '../../errors';
import { listChildren, getUnit } from '../units/units.service';
import { importRegister, type ImportProgress, type ImportReport } from './import.service';
import {
  anyPerson,
  CARDS_BY_CITIZEN_ID,
  createCardsByCitizenId,
  dropCardsByCitizenId,
  householdsWithPersons,
  insertCardsByCitizenId,
  insertDemoVsiPeriods,
} from './register.repository';
import { coverageChange } from '../coverage/coverage-counts';
import { refreshRegister } from './import.repository';
import { seedDemoNetwork } from '../offices/demo-network';
import { seedDemoOutreach } from '../outreach/demo';

export interface DemoOptions {
  province: string;
  persons: number;
  seed: number;
  today: string;
  onProgress?: (p: ImportProgress) => void;
}

/** Writes the demo province as a template CSV; returns its path. */
export async function writeDemoFile(database: Database, actor: Actor, options: Omit<DemoOptions, 'onProgress'>, file: string): Promise<string> {
  await writeDemo(database, actor, options, file);
  return file;
}

/**
 * The template CSV holds one card per person: the one in force today when there is one (a renewal bought
 * ahead would otherwise hide it), else the latest. The person's other cards (the earlier ones, renewals
 * bought ahead) go to `cardsFile` when given, a line `citizen id,group,from,to` each (ISO dates).
 */
async function writeDemo(database: Database, actor: Actor, options: Omit<DemoOptions, 'onProgress'>, file: string, cardsFile?: string): Promise<void> {
  const { unit } = await getUnit(database.db, actor, options.province);
  if (unit.level !== 'province') throw new AppError('validation', {}, [{ path: 'province', key: 'unknown_unit', params: { code: options.province } }]);
  const communes = (await listChildren(database.db, actor, unit.code)).map((c) => ({ code: c.code, name: c.name }));
  const out = lineWriter(file);
  const others = cardsFile ? lineWriter(cardsFile) : undefined;
  await out.write(CANONICAL_COLUMNS.join(','));
  for (const household of generateDemoPopulation({ communes, persons: options.persons, seed: options.seed, today: options.today, provinceName: unit.name, history: !!cardsFile })) {
    const members = household.members.map((p) => {
      let kept = p.cards.length - 1;
      for (let i = p.cards.length - 1; i >= 0; i--) {
        const c = p.cards[i];
        if (c.from <= options.today && options.today <= c.to) {
          kept = i;
          break;
        }
      }
      return kept === p.cards.length - 1 ? p : { ...p, cards: [p.cards[kept]] };
    });
    for (const row of demoRegisterRows({ ...household, members })) await out.write(csvLine(CANONICAL_COLUMNS.map((c) => row[c])));
    if (!others) continue;
    for (let m = 0; m < members.length; m++) {
      const p = household.members[m];
      const kept = members[m].cards[members[m].cards.length - 1];
      for (const c of p.cards) if (c !== kept) await others.write(`${p.citizenId},${c.group},${c.from},${c.to}`);
    }
  }
  await out.end();
  await others?.end();
}

function lineWriter(file: string) {
  const out = fs.createWriteStream(file);
  return {
    async write(line: string) {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    },
    async end() {
      out.end();
      await once(out, 'finish');
    },
  };
}

/**
 * Generates the demo province and imports it through the real import, then adds each person's other cards
 * (the card history before the one in force today, renewals bought ahead) with the coverage counts, so the
 * dashboard has a year earlier to compare with. Those cards go in one transaction after the import.
 */
export async function loadDemo(database: Database, actor: Actor, options: DemoOptions): Promise<ImportReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-demo-'));
  try {
    const files = await writeDemoFiles(database, actor, options, dir);
    const report = await importRegister(database, actor, { path: files.file }, { today: options.today, onProgress: options.onProgress });
    if (!report.rolledBack) await completeDemo(database, actor, options, files.cardsFile);
    return report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `loadDemo` in its steps, for the scale benchmark (which times the import alone and COPYs the same file):
 * the template CSV and the other cards written into `dir`.
 */
export async function writeDemoFiles(database: Database, actor: Actor, options: Omit<DemoOptions, 'onProgress'>, dir: string): Promise<{ file: string; cardsFile: string }> {
  const file = path.join(dir, `demo-${options.province}-${options.seed}.csv`);
  const cardsFile = path.join(dir, 'cards.txt');
  await writeDemo(database, actor, options, file, cardsFile);
  return { file, cardsFile };
}

/** What `loadDemo` does after the import: the other cards, voluntary social insurance, the offices, outreach. */
export async function completeDemo(database: Database, actor: Actor, options: Omit<DemoOptions, 'onProgress'>, cardsFile: string): Promise<void> {
  await addDemoCards(database, cardsFile);
  // a few % of the adults outside the state-paid groups take part in voluntary social insurance
  await insertDemoVsiPeriods(database.db, options.today);
  // the province's offices, facilities and collectors, and the cards naming them
  await seedDemoNetwork(database.db, actor, options.province);
  // two working groups and their visits (issue 19)
  await seedDemoOutreach(database.db, actor, options.province, options.today);
  // the other cards and the collectors rewrote most of the kept rows: as after an import
  await refreshRegister(database.db, database.engine);
}

/**
 * The cards of `cardsFile` into the register: COPYed into a temporary table, then in one transaction
 * inserted with the coverage counts of the households they touch.
 */
export async function addDemoCards(database: Database, cardsFile: string): Promise<void> {
  const { table, columns } = CARDS_BY_CITIZEN_ID;
  await database.session(async (session) => {
    await createCardsByCitizenId(session.db);
    try {
      let lines: string[] = [];
      for await (const line of readline.createInterface({ input: fs.createReadStream(cardsFile), crlfDelay: Infinity })) {
        if (line) lines.push(line);
        if (lines.length < 50_000) continue;
        await session.copyCsv(table, columns, `${lines.join('\n')}\n`);
        lines = [];
      }
      if (lines.length) await session.copyCsv(table, columns, `${lines.join('\n')}\n`);
      await session.db.transaction().execute(async (trx) => {
        const coverage = await coverageChange(trx, householdsWithPersons());
        await insertCardsByCitizenId(trx, 'import');
        await coverage.apply();
      });
    } finally {
      await dropCardsByCitizenId(session.db);
    }
  });
}

export async function registerIsEmpty(database: Database): Promise<boolean> {
  return !(await anyPerson(database.db));
}
