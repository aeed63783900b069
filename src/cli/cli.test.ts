import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';
import { MIGRATED_DUMP } from '../test/paths';
import { acquireLock } from '../db/data-dir-lock';

const BIN = path.join(PROJECT_ROOT, 'bin', 'coverdesk');
let dataDir: string;

function run(args: string[], input?: string) {
  const r = spawnSync(BIN, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, COVERDESK_DATA_DIR: dataDir, DATABASE_URL: '', COVERDESK_LANG: 'vi' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-cli-'));
  // start from the migrated embedded database the global setup made (saves an initdb)
  fs.mkdirSync(path.join(dataDir, 'db'));
  spawnSync('tar', ['-xf', MIGRATED_DUMP, '-C', path.join(dataDir, 'db'), '--strip-components=1']);
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('bin/coverdesk (embedded database)', () => {
  it('lists the 99 units of Lào Cai as JSON', () => {
    const r = run(['units', '--parent', '15', '--json']);
    expect(r.stderr).toBe('');
    const units = JSON.parse(r.stdout);
    expect(units).toHaveLength(99);
    expect(units).toContainEqual({ code: '02905', name: 'Xã Bảo Thắng', level: 'commune', kind: 'commune', parentCode: '15' });
  });

  it('searches without diacritics and resolves old codes, a split one to every candidate', () => {
    expect(JSON.parse(run(['units', '--q', 'bao thang', '--json']).stdout).map((u: { code: string }) => u.code)).toContain('02905');
    expect(JSON.parse(run(['units', '--old-code', '30454', '--json']).stdout)).toEqual([
      { code: '30445', name: 'Xã Bình Thạnh Đông', level: 'commune', kind: 'commune', parentCode: '91' },
    ]);
    expect(JSON.parse(run(['units', '--old-code', '00007', '--json']).stdout).map((u: { code: string }) => u.code)).toEqual(['00008', '00025']);
  });

  it('creates a user from a password on stdin and a token printed once', () => {
    const r = run(['user', 'add', '--username', 'lan', '--role', 'commune_officer', '--scope', '02905', '--password-stdin'], 'mot mat khau dai\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('lan');
    const t = run(['token', 'create', '--user', 'lan']);
    expect(t.code).toBe(0);
    expect(t.stdout.trim()).toMatch(/^cdt_[A-Za-z0-9_-]{40,}$/);
    const list = JSON.parse(run(['user', 'list', '--json']).stdout);
    expect(list.map((u: { username: string }) => u.username)).toContain('lan');
  });

  it('explains bad input in Vietnamese, naming the field, with a non-zero exit', () => {
    const r = run(['user', 'add', '--username', 'x', '--role', 'commune_officer', '--scope', '15', '--password-stdin'], 'ngan\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Dữ liệu không hợp lệ');
    expect(r.stderr).toMatch(/username: /);
    expect(r.stderr).toMatch(/password: /);
  });

  it('prices a household and names the rules used in words, with their start and source', () => {
    const r = run(['premium', '--date', '2025-09-01', '--months', '12', '--groups', 'GD,HS']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/GD +1 +1\.263\.600 ₫/);
    expect(r.stdout).toContain('  Mức lương cơ sở, áp dụng từ 01/07/2024: Decree 73/2024/NĐ-CP [base-salary-2024-07-01]');
    expect(r.stdout).toMatch(/Ngân sách nhà nước hỗ trợ HS, áp dụng từ 01\/07\/2025: .*\[state-share-HS-2025-07-01\]/);
    // an uncertain rule is marked and the mark explained
    expect(r.stdout).toMatch(/^\? Căn cứ tính khi lương cơ sở thay đổi/m);
    expect(r.stdout).toContain('? = quy định chưa chắc chắn');
  });

  it('refuses clearly, without touching the data, while the server owns the data directory', () => {
    const lock = acquireLock(dataDir, { pid: process.pid, role: 'server', port: 3123 });
    try {
      const r = run(['units', '--parent', '15', '--json']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('http://localhost:3123');
    } finally {
      lock.release();
    }
    expect(JSON.parse(run(['units', '--parent', '15', '--json']).stdout)).toHaveLength(99);
  });

  it('has --help for every command', () => {
    for (const cmd of [[], ['units'], ['user', 'add'], ['token', 'create'], ['migrate'], ['village', 'add']]) {
      const r = run([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: coverdesk/);
    }
  });
});
