/**
 * Recording the cards the social insurance office issued for a programme's awards (issue 6 item 5).
 *
 * Per award: the card number and validity (from/to), given by award id, citizen id or social insurance
 * code (the frozen data of the approved list, or the register's current ids). Each becomes a card in the
 * register (source 'programme', programme_id set), the award becomes 'issued', and the coverage aggregates
 * of the households follow in the same transaction (coverageChange, as the register does).
 * All or nothing: any entry at fault refuses the whole call, naming the entry (API/CLI) or the row of the
 * file (import) and the field. Recording the same card again is a no-op; another card for an award that
 * has one is refused. When every live award has its card, the programme moves from 'submitted' to
 * 'cards_issued' in the same transaction.
 * A card that overlaps another card of the same person in the register is refused, naming both cards
 * (issue 16: the programme must not buy a card for days the person is already covered). A real
 * correction goes through with `overlapReason` (API field per card, CLI --overlap-reason): the reason and
 * the overlapped cards are written to the audit entry of the award.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import { requirePermission, type Actor } from '../../../domain/access';
import { formatDateVi } from '../../../domain/dates';
import { cellText, parseDate } from '../../../domain/register-row';
import { foldVietnamese } from '../../../domain/text';
import { AppError, type FieldError } from '../../../errors';
import { translator, type Language } from '../../../i18n/index';
import { readCsvRows } from '../../../io/csv';
import { readXlsxRows } from '../../../io/excel';
import { audit } from '../../audit/audit.service';
import { coverageChange } from '../../coverage/coverage-counts';
import { issueCard } from '../../register/register.service';
import { programmeForActor, scopeOf } from '../programme/programme.access';
import { changeProgrammeStatus } from '../programme/programme.service';
import { selectionField, SELECTION_READ, SELECTION_WRITE } from './candidates.service';
import * as repo from './d03.repository';
import { requireConfirmation, type Confirmation } from '../programme/confirm';

export interface IssuedCardInput {
  awardId?: string;
  citizenId?: string;
  insuranceCode?: string;
  cardNumber: string;
  validFrom: string;
  validTo: string;
  /** Records the card although it overlaps another card of the person: why (audited). */
  overlapReason?: string;
}

export interface IssueResult {
  recorded: number;
  unchanged: number;
  issued: number;
  total: number;
  programmeStatus: string;
}

const ISSUE_STATUSES = new Set(['submitted', 'cards_issued']);

/** The awards of a programme with their card state (for the issue form). */
export async function listIssuedCards(db: Kysely<DB>, actor: Actor, programmeId: string) {
  requirePermission(actor, SELECTION_READ);
  await programmeForActor(db, actor, programmeId, 'read');
  const items = await repo.listAwardLines(db, programmeId, scopeOf(actor));
  const counts = await repo.countLive(db, programmeId);
  return { ...counts, items };
}

/** An existing card of the person that a recorded card overlaps. */
interface Overlap {
  id: string;
  number: string | null;
  groupCode: string;
  source: string;
  validFrom: string;
  validTo: string;
}

interface Problem {
  index: number;
  field: string;
  key: string;
  params?: Record<string, unknown>;
}

const digits = (s: string | undefined) => (s ?? '').normalize('NFKC').replace(/[\s.-]/g, '');

/** Matches entries to awards and checks them; returns the problems (nothing written). */
async function resolve(trx: Kysely<DB>, actor: Actor, programmeId: string, entries: IssuedCardInput[]) {
  const lines = await repo.listAwardLines(trx, programmeId, scopeOf(actor));
  const current = await repo.currentIds(trx, lines.map((l) => l.personId));
  const byId = new Map(lines.map((l) => [l.id, l]));
  const byKey = new Map<string, Set<string>>();
  const key = (kind: string, value: string | null | undefined, awardId: string) => {
    if (!value) return;
    const k = `${kind}:${value}`;
    byKey.set(k, (byKey.get(k) ?? new Set()).add(awardId));
  };
  for (const l of lines) {
    key('c', l.citizenId, l.id);
    key('i', l.insuranceCode, l.id);
  }
  const linesByPerson = new Map(lines.map((l) => [l.personId, l]));
  for (const p of current) {
    const l = linesByPerson.get(p.id);
    if (!l) continue;
    key('c', p.citizenId, l.id);
    key('i', p.insuranceCode, l.id);
  }
  const cardsByPerson = new Map<string, Awaited<ReturnType<typeof repo.cardsOfPersons>>>();
  for (const c of await repo.cardsOfPersons(trx, [...new Set(lines.map((l) => l.personId))])) cardsByPerson.set(c.personId, [...(cardsByPerson.get(c.personId) ?? []), c]);
  const problems: Problem[] = [];
  const resolved: { index: number; line: repo.AwardLine; entry: IssuedCardInput; same: boolean; overlaps: Overlap[] }[] = [];
  const seen = new Map<string, number>();
  entries.forEach((e, index) => {
    let candidates: Set<string> | undefined;
    let field = 'awardId';
    if (e.awardId) candidates = byId.has(e.awardId) ? new Set([e.awardId]) : new Set();
    else if (digits(e.citizenId)) {
      field = 'citizenId';
      candidates = byKey.get(`c:${digits(e.citizenId)}`) ?? new Set();
    } else if (digits(e.insuranceCode)) {
      field = 'insuranceCode';
      candidates = byKey.get(`i:${digits(e.insuranceCode)}`) ?? new Set();
    } else return problems.push({ index, field: 'citizenId', key: 'no_key' });
    if (candidates.size === 0) return problems.push({ index, field, key: 'award_not_found' });
    if (candidates.size > 1) return problems.push({ index, field, key: 'award_ambiguous' });
    const line = byId.get([...candidates][0])!;
    const number = e.cardNumber?.normalize('NFC').trim() ?? '';
    if (number === '') return problems.push({ index, field: 'cardNumber', key: 'card_number_required' });
    if (!(e.validFrom <= e.validTo)) return problems.push({ index, field: 'validTo', key: 'card_dates_order' });
    const again = seen.get(line.id);
    if (again !== undefined) return problems.push({ index, field, key: 'award_ambiguous' });
    seen.set(line.id, index);
    if (line.cardId) {
      const same = line.cardNumber === number && line.cardFrom === e.validFrom && line.cardTo === e.validTo;
      if (!same) return problems.push({ index, field: 'cardNumber', key: 'award_already_issued', params: { number: line.cardNumber } });
      resolved.push({ index, line, entry: { ...e, cardNumber: number }, same: true, overlaps: [] });
      return;
    }
    // another card of the person covering any of these days: refused unless a reason is given
    const overlaps: Overlap[] = (cardsByPerson.get(line.personId) ?? [])
      .filter((c) => c.householdId === line.householdId && c.validFrom <= e.validTo && e.validFrom <= c.validTo)
      .map((c) => ({ id: c.id, number: c.number, groupCode: c.groupCode, source: c.source, validFrom: c.validFrom, validTo: c.validTo }));
    const reason = e.overlapReason?.normalize('NFC').trim() ?? '';
    if (overlaps.length && reason === '') {
      const o = overlaps[0];
      return problems.push({
        index,
        field: 'validFrom',
        key: 'card_overlaps',
        params: { number, from: formatDateVi(e.validFrom), to: formatDateVi(e.validTo), other: o.number ?? o.groupCode, otherFrom: formatDateVi(o.validFrom), otherTo: formatDateVi(o.validTo) },
      });
    }
    resolved.push({ index, line, entry: { ...e, cardNumber: number, ...(overlaps.length ? { overlapReason: reason } : {}) }, same: false, overlaps });
  });
  return { problems, resolved };
}

async function apply(db: Kysely<DB>, actor: Actor, programmeId: string, entries: IssuedCardInput[], onProblems: (p: Problem[]) => never): Promise<IssueResult> {
  requirePermission(actor, SELECTION_WRITE);
  await programmeForActor(db, actor, programmeId, 'write');
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    if (!ISSUE_STATUSES.has(programme.status))
      throw new AppError('invalid_transition', { status: programme.status, reason: 'issue_status', context: 'issue_status', ns: 'selection' });
    const { problems, resolved } = await resolve(trx, actor, programmeId, entries);
    if (problems.length) onProblems(problems);
    let recorded = 0;
    const coverage = await coverageChange(trx, [...new Set(resolved.filter((r) => !r.same).map((r) => r.line.householdId))]);
    for (const { line, entry, same, overlaps } of resolved) {
      if (same) continue;
      const cardId = randomUUID();
      const card = {
        householdId: line.householdId,
        id: cardId,
        personId: line.personId,
        groupCode: line.groupCode,
        validFrom: entry.validFrom,
        validTo: entry.validTo,
        number: entry.cardNumber,
        programmeId,
      };
      await issueCard(trx, card);
      await repo.setAwardCard(trx, line.id, { cardId, cardNumber: entry.cardNumber, cardFrom: entry.validFrom, cardTo: entry.validTo });
      await audit(trx, actor, {
        action: 'issue',
        entity: 'award',
        entityId: line.id,
        unitCode: line.communeCode,
        before: { status: line.status },
        after: { status: 'issued', card: { ...card, source: 'programme' }, ...(overlaps.length ? { overlap: { reason: entry.overlapReason, cards: overlaps } } : {}) },
      });
      recorded++;
    }
    await coverage.apply();
    const counts = await repo.countLive(trx, programmeId);
    let status: string = programme.status;
    if (status === 'submitted' && counts.live > 0 && counts.issued === counts.live) {
      await changeProgrammeStatus(trx, actor, programmeId, 'cards_issued', null, trx);
      status = 'cards_issued';
    }
    return { recorded, unchanged: resolved.length - recorded, issued: counts.issued, total: counts.live, programmeStatus: status };
  });
}

/** Records issued cards (API, CLI); problems name `cards.<index>.<field>`. */
export async function recordIssuedCards(db: Kysely<DB>, actor: Actor, programmeId: string, entries: IssuedCardInput[], confirm?: Confirmation | null): Promise<IssueResult> {
  if (entries.length === 0) throw new AppError('validation', {}, [{ path: 'cards', key: 'required' }]);
  // the last card moves the programme to 'cards_issued': `true` or { count: the cards, amount: 0 }
  requireConfirmation(confirm, { action: 'issue_cards', count: entries.length, amount: null });
  return apply(db, actor, programmeId, entries, (problems) => {
    throw new AppError(
      'validation',
      {},
      problems.map((p): FieldError => selectionField(`cards.${p.index}.${p.field}`, p.key, p.params)),
    );
  });
}

// ---------------------------------------------------------------------------------------------------
// Import of the office's returned list
// ---------------------------------------------------------------------------------------------------

type Column = 'awardId' | 'citizenId' | 'insuranceCode' | 'cardNumber' | 'validFrom' | 'validTo';

const HEADERS: Record<string, Column> = {};
for (const [col, names] of Object.entries({
  awardId: ['ma suat tang', 'award id', 'award_id'],
  citizenId: ['so cccd', 'cccd', 'so cccd/ddcn', 'so dinh danh ca nhan', 'so dinh danh', 'citizen id', 'citizen_id', 'so cccd/ddcn (2)', 'so cccd/ddcn\n(2)'],
  insuranceCode: ['ma so bhxh', 'ma bhxh', 'ma so bhxh (1)', 'social insurance code', 'insurance_code', 'insurance code'],
  cardNumber: ['ma the', 'so the', 'ma so the', 'ma the bhyt', 'so the bhyt', 'card number', 'card_number'],
  validFrom: ['tu ngay', 'gia tri tu ngay', 'han the tu', 'hieu luc tu', 'valid from', 'valid_from', 'from'],
  validTo: ['den ngay', 'gia tri den ngay', 'han the den', 'hieu luc den', 'valid to', 'valid_to', 'to'],
} as Record<Column, string[]>))
  for (const n of names) HEADERS[foldVietnamese(n).replace(/\s*\(\d+\)$/, '')] = col as Column;

export function issueColumnFor(header: string): Column | undefined {
  return HEADERS[foldVietnamese(header).replace(/\s*\(\d+\)$/, '')];
}

export interface IssueImportReport {
  rows: number;
  result: IssueResult | null;
  errors: { row: number; column: string; value: string; message: string }[];
  rolledBack: boolean;
}


/**
 * Imports the list the office returns (.xlsx or .csv): a header row naming the citizen id or the social
 * insurance code (or the award id), the card number, and the validity from/to (dd/MM/yyyy, YYYY-MM-DD or
 * Excel dates). All or nothing: any row at fault writes nothing and is reported with its row and column.
 */
export async function importIssuedCards(
  db: Kysely<DB>,
  actor: Actor,
  programmeId: string,
  source: { buffer: Buffer; format: 'csv' | 'xlsx' },
  options: { language?: Language; confirm?: Confirmation | null; overlapReason?: string } = {},
): Promise<IssueImportReport> {
  requirePermission(actor, SELECTION_WRITE);
  await programmeForActor(db, actor, programmeId, 'write');
  // the import may move the programme to 'cards_issued': confirmed with `true` (?confirm=true)
  requireConfirmation(options.confirm === true ? true : null, { action: 'issue_cards', count: 0, amount: null });
  const t = translator(options.language ?? actor.language);
  const rows = source.format === 'csv' ? readCsvRows(Readable.from([source.buffer])) : readXlsxRows(Readable.from([source.buffer]));
  let columns: (Column | undefined)[] | undefined;
  const entries: IssuedCardInput[] = [];
  const rowOf: number[] = [];
  const errors: IssueImportReport['errors'] = [];
  const headerText = (c: Column) => t(`selection:issue.${{ awardId: 'award_id', citizenId: 'citizen_id', insuranceCode: 'insurance_code', cardNumber: 'card_number', validFrom: 'valid_from', validTo: 'valid_to' }[c]}`);
  let rowNo = 0;
  for await (const cells of rows) {
    rowNo++;
    if (!columns) {
      const mapped = cells.map((c) => issueColumnFor(cellText(c)));
      if (!mapped.includes('cardNumber') || !mapped.includes('validFrom') || !mapped.includes('validTo') || !mapped.some((c) => c === 'citizenId' || c === 'insuranceCode' || c === 'awardId')) {
        // not the header yet (the office's file may start with title lines)
        if (rowNo < 20) continue;
        break;
      }
      columns = mapped;
      continue;
    }
    const get = (c: Column) => {
      const i = columns!.indexOf(c);
      return i < 0 ? undefined : cells[i];
    };
    if (cells.every((c) => cellText(c) === '')) continue;
    const entry: IssuedCardInput = { cardNumber: cellText(get('cardNumber')), validFrom: '', validTo: '', ...(options.overlapReason ? { overlapReason: options.overlapReason } : {}) };
    const id = cellText(get('awardId'));
    if (id) entry.awardId = id;
    const cid = cellText(get('citizenId'));
    if (cid) entry.citizenId = cid;
    const ins = cellText(get('insuranceCode'));
    if (ins) entry.insuranceCode = ins;
    let bad = false;
    for (const c of ['validFrom', 'validTo'] as const) {
      const raw = get(c);
      const d = parseDate(raw === null || raw === undefined || typeof raw === 'boolean' ? undefined : raw);
      if (!d) {
        bad = true;
        errors.push({ row: rowNo, column: headerText(c), value: cellText(raw), message: t('selection:fields.invalid_date') });
      } else entry[c] = d;
    }
    if (bad) continue;
    entries.push(entry);
    rowOf.push(rowNo);
  }
  if (!columns) throw new AppError('validation', {}, [{ path: 'file', key: 'import_missing_column', params: { column: `${headerText('cardNumber')}, ${headerText('validFrom')}, ${headerText('validTo')}, ${headerText('citizenId')}` } }]);
  const report: IssueImportReport = { rows: rowOf.length + new Set(errors.map((e) => e.row)).size, result: null, errors, rolledBack: true };
  if (errors.length || entries.length === 0) return report;
  class Problems extends Error {
    constructor(readonly problems: Problem[]) {
      super('problems');
    }
  }
  try {
    report.result = await apply(db, actor, programmeId, entries, (problems) => {
      throw new Problems(problems);
    });
    report.rolledBack = false;
  } catch (e) {
    if (e instanceof Problems) {
      for (const p of e.problems) {
        const entry = entries[p.index];
        const column = p.field as Column;
        errors.push({ row: rowOf[p.index], column: headerText(column), value: String(entry[column] ?? ''), message: t(`selection:fields.${p.key}`, p.params ?? {}) });
      }
      errors.sort((a, b) => a.row - b.row);
      return report;
    }
    throw e;
  }
  return report;
}
