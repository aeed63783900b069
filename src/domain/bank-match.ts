/**
 * Matching a bank statement line to a pledge (issue 22), pure.
 *
 * Automatic: the line's description carries exactly one known reference (whatever the bank did to it,
 * bank-reference.ts), or a reference cut short that only one pledge starts with and whose amount is the
 * line's. Otherwise suggestions for staff: pledges of the same amount still waiting for money, ranked by
 * the likeness of the donor's name to the description or counterparty and by the date.
 */
import { referencesIn, REFERENCE_PREFIX } from './bank-reference';
import { foldVietnamese } from './text';

export interface PledgeKey {
  id: string;
  reference: string;
  amount: number;
  /** What is still to come in (amount - received), for suggestions. */
  outstanding: number;
  donorName: string;
  pledgedOn: string;
}

export interface LineKey {
  amount: number;
  description: string;
  bookedOn: string;
  counterparty: string | null;
}

export interface Suggestion {
  pledgeId: string;
  score: number;
  reasons: ('reference' | 'amount' | 'name' | 'date')[];
}

export type MatchResult = { kind: 'auto'; pledgeId: string; by: 'reference' | 'partial_reference' } | { kind: 'suggest'; suggestions: Suggestion[] } | { kind: 'none' };

export interface PledgeIndex {
  /** Each pledge's donor name as words (folded), for name likeness. */
  nameWords: Map<string, string[]>;
  byReference: Map<string, PledgeKey>;
  byPrefix: Map<string, PledgeKey[]>;
  byAmount: Map<number, PledgeKey[]>;
}

export function indexPledges(pledges: PledgeKey[]): PledgeIndex {
  const byReference = new Map<string, PledgeKey>();
  const byPrefix = new Map<string, PledgeKey[]>();
  const byAmount = new Map<number, PledgeKey[]>();
  const nameWords = new Map<string, string[]>();
  const push = <K>(m: Map<K, PledgeKey[]>, k: K, p: PledgeKey) => {
    const list = m.get(k);
    if (list) list.push(p);
    else m.set(k, [p]);
  };
  for (const p of pledges) {
    byReference.set(p.reference, p);
    nameWords.set(p.id, words(p.donorName));
    for (const n of [4, 5]) push(byPrefix, p.reference.slice(0, REFERENCE_PREFIX.length + n), p);
    if (p.outstanding > 0) push(byAmount, p.outstanding, p);
    if (p.outstanding !== p.amount) push(byAmount, p.amount, p);
  }
  return { nameWords, byReference, byPrefix, byAmount };
}

const words = (s: string) => foldVietnamese(s).replace(/[^a-z0-9 ]/g, ' ').split(' ').filter((w) => w.length >= 2);

/** The share (0-1) of the donor name's words found in the line's description and counterparty. */
export function nameLikeness(donorName: string | string[], line: Pick<LineKey, 'description' | 'counterparty'> | Set<string>): number {
  const name = typeof donorName === 'string' ? words(donorName) : donorName;
  if (name.length === 0) return 0;
  const text = line instanceof Set ? line : lineWords(line);
  return name.filter((w) => text.has(w)).length / name.length;
}

const lineWords = (line: Pick<LineKey, 'description' | 'counterparty'>) => new Set(words(`${line.description} ${line.counterparty ?? ''}`));

const days = (a: string, b: string) => (Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;

export const MAX_SUGGESTIONS = 3;

/** `rank: false` (an import counting what it could suggest) skips ranking the suggestions by amount. */
export function matchLine(line: LineKey, index: PledgeIndex, options: { rank?: boolean } = {}): MatchResult {
  const hits = referencesIn(line.description);
  const known = hits.full.map((r) => index.byReference.get(r)).filter((p): p is PledgeKey => p !== undefined);
  if (known.length === 1) return { kind: 'auto', pledgeId: known[0].id, by: 'reference' };
  if (known.length > 1) return { kind: 'suggest', suggestions: known.map((p) => ({ pledgeId: p.id, score: 10, reasons: ['reference'] })) };
  if (hits.partial) {
    const starts = index.byPrefix.get(hits.partial) ?? [];
    const sameAmount = starts.filter((p) => p.amount === line.amount || p.outstanding === line.amount);
    if (starts.length === 1 && sameAmount.length === 1) return { kind: 'auto', pledgeId: starts[0].id, by: 'partial_reference' };
    if (starts.length > 0 && starts.length <= 10)
      return { kind: 'suggest', suggestions: starts.slice(0, MAX_SUGGESTIONS).map((p) => ({ pledgeId: p.id, score: 5, reasons: ['reference'] })) };
  }
  const sameAmount = index.byAmount.get(line.amount) ?? [];
  if (options.rank === false) return sameAmount.length ? { kind: 'suggest', suggestions: [] } : { kind: 'none' };
  const text = lineWords(line);
  const scored: Suggestion[] = [];
  for (const p of sameAmount) {
    const reasons: Suggestion['reasons'] = ['amount'];
    let score = 2;
    const likeness = nameLikeness(index.nameWords.get(p.id)!, text);
    if (likeness >= 0.5) {
      score += 2 * likeness;
      reasons.push('name');
    }
    const d = days(line.bookedOn, p.pledgedOn);
    if (d >= 0 && d <= 30) {
      score += 1 - d / 30;
      reasons.push('date');
    }
    scored.push({ pledgeId: p.id, score: Math.round(score * 100) / 100, reasons });
  }
  if (scored.length === 0) return { kind: 'none' };
  scored.sort((a, b) => b.score - a.score || a.pledgeId.localeCompare(b.pledgeId));
  return { kind: 'suggest', suggestions: scored.slice(0, MAX_SUGGESTIONS) };
}
