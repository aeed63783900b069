/**
 * The review queue (issue 19 item 3): status reported from the field (a refusal because the person moved
 * away, died, or is insured elsewhere with the card's number) waits for a commune officer, who accepts it
 * (the register changes in the same transaction, through the register's own use cases: a person who moved
 * away or died leaves the register with their cards, audited as a deletion; a card from elsewhere is
 * recorded, so coverage changes only with a card) or rejects it. Each decision is audited with the
 * phone's time of the report and the server's times of its arrival and of the decision.
 */
import type { Kysely } from 'kysely';
import type { DB, FieldReportStatus } from '../../db/schema';
import { householdScopeOf } from '../../db/scope';
import { inScope, requirePermission, type Actor } from '../../domain/access';
import { AppError, notFound } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { createCardIn, deletePersonIn } from '../register/register.service';
import { lineageOf } from '../units/units.service';
import { OUTREACH_MANAGE, OUTREACH_READ, outreachField } from './groups.service';
import * as repo from './outreach.repository';
import { acceptReportInput, rejectReportInput, reportListQuery, type AcceptReportInput } from './outreach.schemas';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function reportView(r: repo.ReportRow) {
  return {
    ...r,
    birthDate: r.birthDate ?? null,
    reportedAt: iso(r.reportedAt)!,
    receivedAt: iso(r.receivedAt)!,
    decidedAt: iso(r.decidedAt),
  };
}
export type ReportView = ReturnType<typeof reportView>;

export async function listReports(db: Kysely<DB>, actor: Actor, query: { unit?: string; status?: FieldReportStatus | 'all' } = {}): Promise<ReportView[]> {
  requirePermission(actor, OUTREACH_READ);
  const q = parseInput(reportListQuery, query);
  let area: string | undefined;
  if (q.unit) {
    const found = await lineageOf(db, q.unit);
    if (!found) throw notFound('unit', q.unit);
    if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code: q.unit });
    area = found.unit.code;
  }
  const rows = await repo.listReports(db, householdScopeOf(actor), { area, status: q.status === 'all' ? undefined : q.status });
  return rows.map(reportView);
}

async function pendingReport(trx: Kysely<DB>, actor: Actor, id: string) {
  const report = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findReport(trx, id, householdScopeOf(actor)) : undefined;
  if (!report) throw notFound('field_report', id);
  if (report.status !== 'pending') throw new AppError('conflict', { entity: 'field_report', id }, [outreachField('status', 'report_decided', { status: report.status })]);
  return report;
}

async function decide(trx: Kysely<DB>, actor: Actor, report: repo.ReportRow, status: 'accepted' | 'rejected', note: string | null, change: unknown) {
  if (!(await repo.decideReport(trx, report.id, status, actor.username, note)))
    throw new AppError('conflict', { entity: 'field_report', id: report.id }, [outreachField('status', 'report_decided', { status: 'decided' })]);
  const after = reportView((await repo.findReport(trx, report.id, householdScopeOf(actor)))!);
  await audit(trx, actor, {
    action: ({ accepted: 'accept', rejected: 'reject' } as const)[status],
    entity: 'field_report',
    entityId: report.id,
    unitCode: report.communeCode,
    before: reportView(report),
    // the phone's time of the report, the server's times of its arrival and of this decision
    after: { ...after, registerChange: change },
  });
  return after;
}

/**
 * Accepts a report: moved away or deceased, the person leaves the register (with their cards, audited);
 * insured elsewhere, the card (`card`: group and dates, number defaulting to the one reported) is
 * recorded. Then the report is accepted. All in one transaction.
 */
export async function acceptReport(db: Kysely<DB>, actor: Actor, id: string, input: AcceptReportInput): Promise<ReportView> {
  requirePermission(actor, OUTREACH_MANAGE);
  const data = parseInput(acceptReportInput, input);
  return db.transaction().execute(async (trx) => {
    const report = await pendingReport(trx, actor, id);
    let change: unknown = null;
    if (report.kind === 'insured_elsewhere') {
      if (!data.card) throw new AppError('validation', {}, [outreachField('card', 'card_required_to_accept')]);
      const number = data.card.number ?? report.cardNumber;
      const card = await createCardIn(trx, actor, { personId: report.personId, groupCode: data.card.groupCode, validFrom: data.card.validFrom, validTo: data.card.validTo, number });
      change = { card: card.id };
    } else if (report.fullName !== null) {
      // (a person already gone from the register needs no change)
      await deletePersonIn(trx, actor, report.personId);
      change = { personDeleted: report.personId };
    }
    return decide(trx, actor, report, 'accepted', data.note ?? null, change);
  });
}

export async function rejectReport(db: Kysely<DB>, actor: Actor, id: string, input: { note?: string | null } = {}): Promise<ReportView> {
  requirePermission(actor, OUTREACH_MANAGE);
  const data = parseInput(rejectReportInput, input);
  return db.transaction().execute(async (trx) => decide(trx, actor, await pendingReport(trx, actor, id), 'rejected', data.note ?? null, null));
}
