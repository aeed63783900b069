import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import viWeb from '../../../src/i18n/locales/vi/web.json';
import enWeb from '../../../src/i18n/locales/en/web.json';
import { i18n } from '../i18n';
import { auditDetails, formatAuditValue, type DetailLine, type DetailOptions } from './auditDetails';

const src = path.resolve(__dirname, '../../../src');

/** Every `audit(trx, actor, {...})` call of the server's source, as text. */
function auditCalls(): { file: string; text: string }[] {
  const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !/\.(test|fixture)\.ts$/.test(f));
  const calls: { file: string; text: string }[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(src, file), 'utf8');
    for (const m of text.matchAll(/\baudit\(\s*\w+\s*,\s*\w+\s*,/g)) {
      let at = m.index + m[0].length;
      for (let depth = 1; depth > 0 && at < text.length; at++) depth += text[at] === '(' ? 1 : text[at] === ')' ? -1 : 0;
      calls.push({ file, text: text.slice(m.index, at) });
    }
  }
  return calls;
}

/** The columns of the tables whose rows the audit log holds (schema.ts), internal ones aside. */
function auditedColumns(): string[] {
  const schema = fs.readFileSync(path.join(src, 'db/schema.ts'), 'utf8');
  const tables = ['Unit', 'AppUser', 'Household', 'Person', 'Card', 'VsiPeriod', 'ReportedFigure', 'CoverageTarget', 'StaffTarget', 'Programme', 'Donor', 'Pledge', 'Receipt', 'Refund', 'Award', 'ProgrammeNomination', 'SelectionRound', 'HandoverEvent', 'HandoverResult', 'UnitProfile', 'HealthFacility', 'Collector'];
  const internal = new Set(['passwordHash', 'searchName', 'nameKey']);
  return tables.flatMap((name) => {
    const body = new RegExp(`export interface ${name}Table \\{([\\s\\S]*?)\\n\\}`).exec(schema)?.[1];
    expect(body, `${name}Table in schema.ts`).toBeDefined();
    return [...body!.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]).filter((k) => !internal.has(k));
  });
}

describe('the audit catalogue names everything the server writes', () => {
  const calls = auditCalls();

  it('finds the audit writes', () => {
    expect(calls.length).toBeGreaterThan(40);
  });

  it('every action and every kind of record, in both languages', () => {
    const actions = new Set<string>();
    const entities = new Set<string>();
    for (const { file, text } of calls) {
      const action = /action:\s*([^\n]*?)(?:,\s*entity:|,\s*$)/m.exec(text)?.[1];
      const entity = /entity:\s*'([^']+)'/.exec(text)?.[1];
      expect(action, `action in ${file}: ${text.slice(0, 80)}`).toBeDefined();
      expect(entity, `entity in ${file}: ${text.slice(0, 80)}`).toBeDefined();
      for (const m of action!.matchAll(/'([^']+)'/g)) actions.add(m[1]);
      entities.add(entity!);
    }
    expect(actions).toContain('payment_reversal');
    expect(entities).toContain('handover_result');
    for (const a of actions) {
      expect(viWeb.audit.actions, `audit.actions.${a}`).toHaveProperty([a]);
      expect(enWeb.audit.actions, `audit.actions.${a}`).toHaveProperty([a]);
    }
    for (const e of entities) {
      expect(viWeb.audit.entities, `audit.entities.${e}`).toHaveProperty([e]);
      expect(enWeb.audit.entities, `audit.entities.${e}`).toHaveProperty([e]);
    }
  });

  it('every field of the audited records and of the details the services write', () => {
    const keys = new Set(auditedColumns());
    const change = new Set(['action', 'entity', 'entityId', 'unitCode', 'before', 'after']);
    for (const { text } of calls) {
      for (const part of text.matchAll(/(?:before|after):\s*(\{[\s\S]*)/g)) {
        for (const m of part[1].matchAll(/[{,]\s*(\w+)(?=\s*[:,}])/g)) if (!change.has(m[1])) keys.add(m[1]);
      }
    }
    expect(keys).toContain('participantsByGroup');
    expect(keys).toContain('awardIds');
    const missing = [...keys].filter((k) => !(k in viWeb.audit.fields) || !(k in enWeb.audit.fields));
    expect(missing).toEqual([]);
  });
});

const options = (lang: 'vi' | 'en', entity = 'household'): DetailOptions => ({
  t: i18n.getFixedT(lang, 'web'),
  lang,
  entity,
  groupName: (code) => ({ HS: 'Học sinh (HS)', GD: 'Hộ gia đình (GD)' })[code],
});
/** 'label: value' lines, nested ones indented. */
const flat = (lines: DetailLine[], indent = ''): string[] =>
  lines.flatMap((l) => [`${indent}${l.label}${l.value !== null ? `: ${l.value}` : ''}`, ...(l.children ? flat(l.children, `${indent}  `) : [])]);

describe('auditDetails', () => {
  it('reads a record as field: value lines in Vietnamese, money, dates and numbers in Vietnamese format', () => {
    const lines = auditDetails(
      { fullName: 'Nguyễn Văn A', birthDate: '2015-03-04', amount: 1263600, participants: 114149, active: true, planYear: 2026, groupCodes: ['HS', 'GD'], sex: 'female' },
      options('vi'),
    );
    expect(flat(lines)).toEqual([
      'Họ và tên: Nguyễn Văn A',
      'Ngày sinh: 04/03/2015',
      'Số tiền: 1.263.600 ₫',
      'Số người tham gia: 114.149',
      'Đang hoạt động: Có',
      'Năm kế hoạch: 2026',
      'Đối tượng: Học sinh (HS), Hộ gia đình (GD)',
      'Giới tính: Nữ',
    ]);
    expect(lines.every((l) => l.known)).toBe(true);
  });

  it('reads the same record in English', () => {
    expect(flat(auditDetails({ participants: 114149, active: false, role: 'commune_officer' }, options('en', 'user')))).toEqual([
      'Participants: 114,149',
      'Active: No',
      'Role: Commune officer',
    ]);
  });

  it('names a status by the list of its kind of record', () => {
    expect(formatAuditValue('status', 'list_approved', options('vi', 'programme'))).toBe('Đã duyệt danh sách');
    expect(formatAuditValue('status', 'confirmed', options('vi', 'pledge'))).toBe('Đã xác nhận');
    expect(formatAuditValue('status', 'discarded', options('en', 'selection_round'))).toBe('Discarded');
  });

  it('nests objects and lists of objects, cuts long lists and says how many are left', () => {
    const awards = Array.from({ length: 25 }, (_, i) => ({ personId: `p${i}`, amount: 631800 }));
    const lines = flat(auditDetails({ awards, total: 15795000, paid: { count: 2, amount: 1263600 }, participantsByGroup: { HS: 1200, XX: 3 } }, options('vi', 'programme')));
    expect(lines.slice(0, 4)).toEqual(['Suất tặng thẻ', '  Mục 1', '    Người: p0', '    Số tiền: 631.800 ₫']);
    expect(lines).toContain('  : … và 5 mục khác');
    expect(lines).toContain('Tổng cộng: 15.795.000 ₫');
    expect(lines).toEqual(expect.arrayContaining(['Đã đóng', '  Số lượng: 2', '  Số tiền: 1.263.600 ₫']));
    expect(lines).toEqual(expect.arrayContaining(['Người tham gia theo đối tượng', '  Học sinh (HS): 1.200', '  XX: 3']));
  });

  it("reads a list of named records ({code, name}) by their names, and a collector's kind by name", () => {
    const villages = [
      { code: '04750.thon-1', name: 'Thôn 1' },
      { code: '04750.thon-2', name: 'Thôn 2' },
    ];
    expect(flat(auditDetails({ kind: 'staff', villages }, options('vi', 'collector')))).toEqual([
      'Loại: Nhân viên thu',
      'Các thôn phụ trách: Thôn 1, Thôn 2',
    ]);
  });

  it("names a programme's priority tags, as weights or as ranks", () => {
    expect(flat(auditDetails({ priorities: { pupil: 3, poor: 2 }, tags: ['storm_victim'] }, options('vi', 'programme')))).toEqual([
      'Ưu tiên',
      '  Học sinh: 3',
      '  Hộ nghèo: 2',
      'Diện ưu tiên: Nạn nhân bão',
    ]);
    expect(formatAuditValue('priorities', ['near_poor', 'orphan'], options('en', 'programme'))).toMatch(/^Near-poor household, Orphan/);
  });

  it('writes a timestamp dd/MM/yyyy HH:mm and shortens ids', () => {
    const [at, id] = auditDetails({ confirmedAt: '2026-12-04T09:05:00', donorId: '0f8fad5b-d9cb-469f-a165-70867728950e' }, options('vi', 'pledge'));
    expect(at.value).toBe('04/12/2026 09:05');
    expect(id.value).toBe('0f8fad5b');
  });

  it('shows a field the catalogue does not name by its key, marked unknown', () => {
    const [line] = auditDetails({ someNewField: 3 }, options('vi'));
    expect(line).toMatchObject({ label: 'someNewField', known: false, value: '3' });
  });

  it('has no lines for nothing', () => {
    expect(auditDetails(null, options('vi'))).toEqual([]);
    expect(auditDetails({}, options('vi'))).toEqual([]);
  });
});
