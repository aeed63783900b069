/**
 * `coverdesk allocate --input FILE.json [--json] [--details]`: the budget-constrained selection alone
 * (src/domain/allocation.ts), on the default premium rules. It needs no database: the input file holds
 * the date, months, budget, weights and candidates.
 *
 * Input:  {"date","months","budget","weights":{"TAG":number},"candidates":[{"id","household","commune",
 *          "groups":["GD"],"tags":["TAG"],"enrolledThisYear":0,"coveredUntil"?}],
 *          "mode"?:"concentrate"|"spread","quotas"?:{"COMMUNE":dong}}
 * Output (--json): {"selected":["id"],"spent","unspent","objective","excluded":[{"id","reason","message"?}]}
 *          with --details also "decisions", "upperBound", "provenOptimal", "mode" and, in spread mode, "communes".
 * Bad input: one line per field at fault on stderr, exit code 2.
 */
import fs from 'node:fs';
import { CommanderError, type Command } from 'commander';
import type { CliContext } from '../../../cli/context';
import { allocate, AllocationInputError, parseAllocationInput, type AllocationResult } from '../../../domain/allocation';
import { formatVnd } from '../../../domain/money';
import { DEFAULT_RULES } from '../../../domain/premium-rules';

interface AllocateOptions {
  input: string;
  json?: boolean;
  details?: boolean;
}

/** Labels of the text output (the JSON output is the interface for programs). */
const LABELS = {
  vi: {
    invalid: 'Dữ liệu không hợp lệ',
    unreadable: 'Không đọc được tệp',
    notJson: 'Tệp không phải JSON hợp lệ',
    mode: 'Cách phân bổ',
    concentrate: 'tập trung (một nguồn chung)',
    spread: 'chia theo xã',
    budget: 'Kinh phí',
    spent: 'Đã dùng',
    unspent: 'Còn lại',
    selected: 'Số người được chọn',
    objective: 'Tổng điểm ưu tiên',
    bound: 'Cận trên (LP)',
    optimal: 'tối ưu đã chứng minh',
    commune: 'Xã',
    quota: 'Hạn mức',
    inQuota: 'Dùng trong hạn mức',
    moved: 'Dùng từ phần chuyển sang',
    excluded: 'Không được chọn',
    id: 'Mã',
    household: 'Hộ',
    value: 'Điểm',
    cost: 'Chi phí',
    order: 'Thứ tự hộ',
    reason: 'Lý do',
  },
  en: {
    invalid: 'Invalid input',
    unreadable: 'Cannot read the file',
    notJson: 'The file is not valid JSON',
    mode: 'Mode',
    concentrate: 'concentrate (one pool)',
    spread: 'spread over communes',
    budget: 'Budget',
    spent: 'Spent',
    unspent: 'Unspent',
    selected: 'Persons selected',
    objective: 'Total priority',
    bound: 'Upper bound (LP)',
    optimal: 'proven optimal',
    commune: 'Commune',
    quota: 'Quota',
    inQuota: 'Spent in quota',
    moved: 'Spent from moved money',
    excluded: 'Not selected',
    id: 'Id',
    household: 'Household',
    value: 'Priority',
    cost: 'Cost',
    order: 'Order',
    reason: 'Reason',
  },
} as const;

/** Writes the problem to stderr and ends the command with exit code 2 (main.ts exits on CommanderError). */
function refuse(lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  throw new CommanderError(2, 'coverdesk.allocate.invalid_input', lines[0]);
}

/** The shape `--json` prints. */
export function allocationJson(result: AllocationResult, details = false) {
  const base = {
    selected: result.selected,
    spent: result.spent,
    unspent: result.unspent,
    objective: result.objective,
    excluded: result.excluded,
  };
  if (!details) return base;
  return {
    ...base,
    mode: result.mode,
    upperBound: result.upperBound,
    provenOptimal: result.provenOptimal,
    ...(result.communes ? { communes: result.communes } : {}),
    decisions: result.decisions,
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function registerAllocateCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('allocate')
    .description('Choose whom a donation funds: the highest total priority the budget allows (household discounts and state support included)')
    .requiredOption('--input <file.json>', 'JSON: {date, months, budget, weights, candidates, mode?, quotas?}')
    .option('--json', 'print {"selected","spent","unspent","objective","excluded":[{"id","reason"}]}')
    .option('--details', 'also every decision (cost, household order, reason), the upper bound and the communes')
    .action((opts: AllocateOptions) => {
      const c = ctx();
      const L = LABELS[c.lang === 'en' ? 'en' : 'vi'];
      let text: string;
      try {
        text = fs.readFileSync(opts.input, 'utf8');
      } catch (e) {
        refuse([`${L.unreadable}: ${opts.input}`, `  ${(e as Error).message}`]);
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        refuse([`${L.notJson}: ${opts.input}`, `  ${(e as Error).message}`]);
      }
      let result: AllocationResult;
      try {
        result = allocate(parseAllocationInput(raw), DEFAULT_RULES);
      } catch (e) {
        if (e instanceof AllocationInputError) refuse([L.invalid, ...e.issues.map((i) => `  ${i.path || '-'}: ${i.message}`)]);
        throw e;
      }
      if (opts.json) return c.json(allocationJson(result, opts.details));

      const budget = result.spent + result.unspent;
      c.out(`${L.mode}: ${result.mode === 'spread' ? L.spread : L.concentrate}`);
      c.out(`${L.budget}: ${formatVnd(budget)}   ${L.spent}: ${formatVnd(result.spent)}   ${L.unspent}: ${formatVnd(result.unspent)}`);
      c.out(`${L.selected}: ${result.selected.length}   ${L.objective}: ${round(result.objective)}   ${L.bound}: ${round(result.upperBound)}${result.provenOptimal ? ` (${L.optimal})` : ''}`);
      if (result.communes) {
        c.out('');
        c.out([L.commune, L.quota, L.inQuota, L.moved, L.selected].join('\t'));
        for (const m of result.communes) c.out([m.commune, formatVnd(m.quota), formatVnd(m.spentInQuota), formatVnd(m.spentMoved), String(m.selected)].join('\t'));
      }
      const counts = new Map<string, number>();
      for (const e of result.excluded) counts.set(e.reason, (counts.get(e.reason) ?? 0) + 1);
      if (counts.size) c.out(`${L.excluded}: ${[...counts].map(([r, n]) => `${r} ${n}`).join(', ')}`);
      if (opts.details) {
        c.out('');
        c.out([L.id, L.household, L.commune, L.value, L.cost, L.order, L.reason].join('\t'));
        for (const d of result.decisions) {
          c.out(
            [
              `${d.selected ? '+' : '-'} ${d.id}`,
              d.household,
              d.commune,
              String(round(d.value)),
              d.cost === null ? '' : formatVnd(d.cost),
              d.order === null ? '' : String(d.order),
              d.message ? `${d.reason}: ${d.message}` : d.reason,
            ].join('\t'),
          );
        }
      }
    });
}
