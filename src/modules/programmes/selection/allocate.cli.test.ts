import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { CliContext } from '../../../cli/context';
import { cliOperator } from '../../../domain/access';
import { translator } from '../../../i18n/index';
import { registerAllocateCommands } from './allocate.cli';

let dir: string;

/**
 * Runs `allocate --input FILE ...` in process, the way src/cli/main.ts does (exitOverride; a
 * CommanderError carries the exit code). The context refuses to open a database.
 */
async function run(input: unknown, ...extra: string[]) {
  const file = path.join(dir, `input-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof input === 'string' ? input : JSON.stringify(input));
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    lang: 'en',
    actor: cliOperator('test'),
    t: translator('en'),
    withDb: () => Promise.reject(new Error('the allocation must not open the database')),
    out: (text) => (stdout += `${text}\n`),
    json: (value) => (stdout += `${JSON.stringify(value, null, 2)}\n`),
  };
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command('coverdesk').exitOverride();
  registerAllocateCommands(program, () => context);
  let code = 0;
  try {
    await program.parseAsync(['allocate', '--input', file, ...extra], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode;
  } finally {
    spy.mockRestore();
  }
  return { code, stdout, stderr };
}

const input = {
  date: '2025-09-01',
  months: 12,
  budget: 3_000_000,
  weights: { flood: 3, elderly_60_79: 1, pupil: 2 },
  candidates: [
    { id: 'a1', household: 'A', commune: 'X', groups: ['GD'], tags: ['flood'], enrolledThisYear: 0 },
    { id: 'a2', household: 'A', commune: 'X', groups: ['GD'], tags: ['flood', 'elderly_60_79'], enrolledThisYear: 0 },
    { id: 'a3', household: 'A', commune: 'X', groups: ['GD'], tags: ['elderly_60_79'], enrolledThisYear: 0 },
    { id: 'a4', household: 'A', commune: 'X', groups: ['HS'], tags: ['pupil'], enrolledThisYear: 0 },
    { id: 'b1', household: 'B', commune: 'Y', groups: ['CN'], tags: ['flood'], enrolledThisYear: 0 },
    { id: 'b2', household: 'B', commune: 'Y', groups: ['HN'], tags: ['flood'], enrolledThisYear: 0 },
  ],
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-allocate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('coverdesk allocate', () => {
  it('prints the selection as JSON, without touching a database', async () => {
    const r = await run(input, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // a2 (1st, 1,263,600) + a1 (2nd, 884,520) + b1 (near-poor, 379,080) = 2,527,200 for 3 + 4 + 3 = 10
    expect(JSON.parse(r.stdout)).toEqual({
      selected: ['a1', 'a2', 'b1'],
      spent: 2_527_200,
      unspent: 472_800,
      objective: 10,
      excluded: [
        { id: 'a3', reason: 'over_budget' },
        { id: 'a4', reason: 'over_budget' },
        { id: 'b2', reason: 'state_budget' },
      ],
    });
  });

  it('adds every decision with --details, and spreads over communes by hand', async () => {
    const r = await run({ ...input, mode: 'spread', quotas: { X: 1_263_600, Y: 1_000_000 } }, '--json', '--details');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mode).toBe('spread');
    expect(out.communes.map((m: { commune: string; quota: number }) => [m.commune, m.quota])).toEqual([
      ['X', 1_263_600],
      ['Y', 1_000_000],
    ]);
    expect(out.decisions.find((d: { id: string }) => d.id === 'a2')).toMatchObject({ selected: true, reason: 'commune_quota', order: 1, cost: 1_263_600 });
    expect(out.spent + out.unspent).toBe(3_000_000);
  });

  it('prints a summary without --json', async () => {
    const r = await run(input);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2.527.200 ₫');
    expect(r.stdout).toContain('state_budget 1');
  });

  it('names each bad field on stderr and exits with code 2', async () => {
    const bad = { ...input, months: 0, candidates: [{ ...input.candidates[0], groups: ['GD', 7] }, input.candidates[1]] };
    const r = await run(bad, '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('months: expected a whole number from 1 to 12, got 0');
    expect(r.stderr).toContain('candidates[0].groups[1]: expected a non-empty string, got 7');
  });

  it('refuses a file that is not JSON with code 2', async () => {
    const r = await run('{"date": ', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not valid JSON');
  });
});
