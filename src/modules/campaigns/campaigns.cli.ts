/**
 * CLI of campaigns (issue 20 items 3 and 5): `campaign add|set|list|progress|report|delete`, `incentive issue|redeem|ledger`. Targets are given
 * as `kind=number` pairs (`bhyt_household=500,bhxh_tn=100`), their split as `level:ref:kind=number`
 * (`commune:02905:bhyt_household=50,staff:thu:bhyt_household=20`). `--json` prints the stored objects.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { SPLIT_LEVELS, TARGET_KINDS, type SplitLevel, type TargetKind } from '../../domain/campaign';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { formatDecimalIn } from '../../domain/numbers';
import { AppError } from '../../errors';
import * as campaigns from './campaigns.service';
import { campaignPdf, campaignWorkbook } from './campaigns.report';
import * as incentives from './incentives.service';

const badTarget = (value: string, path: string) => new AppError('validation', {}, [{ path, key: 'target_format', params: { value, ns: 'campaigns' } }]);
const isKind = (k: string): k is TargetKind => (TARGET_KINDS as readonly string[]).includes(k);
const isLevel = (k: string): k is SplitLevel => (SPLIT_LEVELS as readonly string[]).includes(k);

/** 'bhyt_household=500,bhxh_tn=100' -> { bhyt_household: 500, bhxh_tn: 100 } */
export function parseTargets(text: string): Partial<Record<TargetKind, number>> {
  const out: Partial<Record<TargetKind, number>> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)=(\d+)$/.exec(part);
    if (!m || !isKind(m[1])) throw badTarget(part, 'targets');
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** 'commune:02905:bhyt_household=50,staff:thu:renewal=5' -> the split's lines */
export function parseSplit(text: string) {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([a-z]+):([^:=]+):([a-z_]+)=(\d+)$/.exec(part);
      if (!m || !isLevel(m[1]) || !isKind(m[3])) throw badTarget(part, 'split');
      return { level: m[1], ref: m[2], kind: m[3], value: Number(m[4]) };
    });
}

interface CampaignOpts {
  name?: string;
  theme?: string;
  from?: string;
  to?: string;
  target?: string;
  split?: string;
  json?: boolean;
}

const withOptions = (cmd: Command) =>
  cmd
    .option('--theme <text>', 'the campaign’s theme')
    .option('--target <pairs>', 'targets, e.g. bhyt_household=500,bhxh_tn=100,renewal=300')
    .option('--split <lines>', 'split of the targets, e.g. commune:02905:bhyt_household=50,group:<id>:bhyt_household=20,staff:<username>:bhyt_household=10')
    .option('--json', 'print the campaign as JSON');

export function registerCampaignCommands(program: Command, ctx: () => CliContext): void {
  const campaign = program.command('campaign').description('Campaign months (Tháng vận động): targets of new participants and their progress');
  withOptions(
    campaign
      .command('add')
      .description('Create a campaign of a province or commune')
      .requiredOption('--unit <code>', 'a province or commune code, e.g. 15')
      .requiredOption('--name <name>', 'e.g. "Tháng vận động BHYT tháng 5"')
      .requiredOption('--from <date>', 'first day (YYYY-MM-DD)')
      .requiredOption('--to <date>', 'last day (YYYY-MM-DD)'),
  ).action(async (opts: CampaignOpts & { unit: string; name: string; from: string; to: string }) => {
    const c = ctx();
    const saved = await c.withDb(({ db }) =>
      campaigns.createCampaign(
        db,
        c.actor,
        {
          unitCode: opts.unit,
          name: opts.name,
          theme: opts.theme,
          startsOn: opts.from,
          endsOn: opts.to,
          targets: opts.target ? parseTargets(opts.target) : {},
          split: opts.split ? parseSplit(opts.split) : [],
        },
        c.lang,
      ),
    );
    if (opts.json) return c.json(saved);
    c.out(c.t('campaigns:cli.saved', { name: saved.name, id: saved.id }));
    for (const w of saved.warnings) c.out(`! ${w.message}`);
  });
  withOptions(campaign.command('set <id>').description('Change a campaign (targets and split are replaced when given)').option('--name <name>', 'new name').option('--from <date>', 'first day').option('--to <date>', 'last day')).action(
    async (id: string, opts: CampaignOpts) => {
      const c = ctx();
      const saved = await c.withDb(({ db }) =>
        campaigns.updateCampaign(
          db,
          c.actor,
          id,
          {
            name: opts.name,
            theme: opts.theme,
            startsOn: opts.from,
            endsOn: opts.to,
            ...(opts.target !== undefined ? { targets: parseTargets(opts.target) } : {}),
            ...(opts.split !== undefined ? { split: parseSplit(opts.split) } : {}),
          },
          c.lang,
        ),
      );
      if (opts.json) return c.json(saved);
      c.out(c.t('campaigns:cli.saved', { name: saved.name, id: saved.id }));
      for (const w of saved.warnings) c.out(`! ${w.message}`);
    },
  );
  campaign
    .command('list')
    .description('Campaigns you see')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => campaigns.listCampaigns(db, c.actor, c.lang));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('campaigns:cli.none'));
      for (const r of rows) c.out(`${r.id}  ${formatDateVi(r.startsOn)} – ${formatDateVi(r.endsOn)}  ${r.unitName}  ${r.name}`);
    });
  campaign
    .command('progress')
    .description('Progress of a campaign: per kind target, achieved and %, communes ranked')
    .requiredOption('--id <id>', 'the campaign')
    .option('--date <date>', 'count up to this day (default today, at most the end)')
    .option('--json', 'print as JSON: {bhyt_household, bhxh_tn, renewal: {target, achieved, pct}, fieldEnrolled, communes, groups, staff, days}')
    .action(async (opts: { id: string; date?: string; json?: boolean }) => {
      const c = ctx();
      const p = await c.withDb(({ db }) => campaigns.campaignProgress(db, c.actor, opts.id, opts.date ? { date: opts.date } : {}, todayInVietnam(), c.lang));
      if (opts.json) {
        const { campaign: cp, kinds, ...rest } = p;
        return c.json({ id: cp.id, name: cp.name, ...kinds, ...rest });
      }
      c.out(`${p.campaign.name} (${p.campaign.unitName}, ${formatDateVi(p.campaign.startsOn)} – ${formatDateVi(p.countedUntil)})`);
      for (const k of TARGET_KINDS) {
        const r = p.kinds[k];
        const kind = c.t(`campaigns:kinds.${k}`);
        const achieved = formatDecimalIn(r.achieved, c.lang);
        c.out(r.target === null ? c.t('campaigns:cli.progress_no_target', { kind, achieved }) : c.t('campaigns:cli.progress_line', { kind, achieved, target: formatDecimalIn(r.target, c.lang), pct: `${formatDecimalIn(r.pct ?? 0, c.lang)}%` }));
      }
      c.out(c.t('campaigns:cli.field_line', { n: formatDecimalIn(p.fieldEnrolled, c.lang) }));
    });
  campaign
    .command('report')
    .description('Write the closing report (.xlsx or .pdf, by the file’s extension)')
    .requiredOption('--id <id>', 'the campaign')
    .requiredOption('--out <file>', 'report.xlsx or report.pdf')
    .action(async (opts: { id: string; out: string }) => {
      const c = ctx();
      const bytes = await c.withDb(async ({ db }) =>
        opts.out.toLowerCase().endsWith('.pdf')
          ? (await campaignPdf(db, c.actor, opts.id, todayInVietnam(), c.lang)).pdf
          : (await campaignWorkbook(db, c.actor, opts.id, todayInVietnam(), c.lang)).buffer,
      );
      fs.writeFileSync(opts.out, bytes);
      c.out(c.t('campaigns:cli.report_written', { file: opts.out }));
    });
  const incentive = program.command('incentive').description('Gifts and vouchers given to participants (a voucher is redeemed once, at the next renewal)');
  incentive
    .command('issue')
    .description('Give a participant a gift or a voucher')
    .requiredOption('--person <id>', 'the person')
    .requiredOption('--kind <gift|voucher>', 'gift or voucher')
    .requiredOption('--value <dong>', 'the value in dong')
    .option('--description <text>', 'what it is')
    .option('--sponsor <name>', 'who gives it')
    .option('--campaign <id>', 'the campaign it is given in')
    .option('--expires <date>', 'a voucher’s last day (default a year after it is given)')
    .option('--json', 'print it as JSON')
    .action(async (opts: { person: string; kind: string; value: string; description?: string; sponsor?: string; campaign?: string; expires?: string; json?: boolean }) => {
      const c = ctx();
      const value = /^\d+$/.test(opts.value) ? Number(opts.value) : NaN;
      const saved = await c.withDb(({ db }) =>
        incentives.issueIncentive(
          db,
          c.actor,
          { personId: opts.person, kind: opts.kind as 'gift', value, description: opts.description, sponsor: opts.sponsor, campaignId: opts.campaign, expiresOn: opts.expires },
          todayInVietnam(),
        ),
      );
      if (opts.json) return c.json(saved);
      c.out(c.t(saved.code ? 'campaigns:cli.voucher_issued' : 'campaigns:cli.gift_issued', { code: saved.code, value: formatDecimalIn(saved.value, c.lang), expires: saved.expiresOn ? formatDateVi(saved.expiresOn) : '' }));
    });
  incentive
    .command('redeem <code>')
    .description('Redeem a voucher at the person’s renewal')
    .option('--card <id>', 'the renewal’s card')
    .option('--json', 'print it as JSON')
    .action(async (code: string, opts: { card?: string; json?: boolean }) => {
      const c = ctx();
      const saved = await c.withDb(({ db }) => incentives.redeemVoucher(db, c.actor, { code, cardId: opts.card }, todayInVietnam()));
      if (opts.json) return c.json(saved);
      c.out(c.t('campaigns:cli.voucher_redeemed', { code: saved.code, value: formatDecimalIn(saved.value, c.lang) }));
    });
  incentive
    .command('ledger')
    .description('A campaign’s incentive ledger: issued, redeemed, expired, outstanding')
    .requiredOption('--campaign <id>', 'the campaign')
    .option('--json', 'print it as JSON')
    .action(async (opts: { campaign: string; json?: boolean }) => {
      const c = ctx();
      const l = await c.withDb(({ db }) => incentives.incentiveLedger(db, c.actor, { campaign: opts.campaign }, todayInVietnam()));
      if (opts.json) return c.json(l);
      for (const k of l.kinds)
        c.out(
          c.t('campaigns:cli.ledger_line', {
            kind: c.t(`campaigns:incentive_kinds.${k.kind}`),
            issued: k.issued,
            issuedValue: formatDecimalIn(k.issuedValue, c.lang),
            redeemed: k.redeemed,
            redeemedValue: formatDecimalIn(k.redeemedValue, c.lang),
            expired: k.expired,
            outstanding: k.outstanding,
          }),
        );
    });
  campaign
    .command('delete <id>')
    .description('Delete a campaign (its targets; the register does not change)')
    .action(async (id: string) => {
      const c = ctx();
      await c.withDb(({ db }) => campaigns.deleteCampaign(db, c.actor, id));
      c.out(c.t('campaigns:cli.deleted', { id }));
    });
}
