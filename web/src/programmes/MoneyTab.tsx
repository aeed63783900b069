/**
 * The Money tab of a programme: balances from the ledger (received = available + committed + paid +
 * refunded), pledges proposed on the public page to confirm or cancel, pledges with what came in against
 * each, receipts with what each has left, refunds, and the forms that add donors, pledges, receipts and
 * refunds. Every change reloads the programme so its balances stay true.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { OptionSelect } from '../ui/OptionSelect';
import { DayInput } from '../register/HouseholdBits';
import { today } from '../register/RegisterBits';
import { errorMessage, splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { formatDate, formatDateTime, formatVnd, parseVnd } from '../format';
import { ConfirmBar, useConfirmedAction } from './ConfirmAction';
import { dayOf, localErrors } from './ProgrammeBits';
import {
  DONOR_KINDS,
  PAYMENT_METHODS,
  programmesApi,
  type Donor,
  type LedgerEntry,
  type DonorKind,
  type PaymentMethod,
  type Pledge,
  type ProgrammeDetail,
  type Receipt,
  type Refund,
} from './programmesApi';
import { DataTable } from '../ui/DataTable';
import { UnitPicker } from '../units/UnitPicker';
import type { UnitLevel } from '../units/unitsApi';
import { KNOWN_TAGS } from '../../../src/domain/selection-tags';

const COMMUNE_LEVEL: readonly UnitLevel[] = ['commune'];

interface MoneyData {
  donors: Donor[];
  pledges: Pledge[];
  receipts: Receipt[];
  refunds: Refund[];
}

export function MoneyTab({ programme, onChanged }: { programme: ProgrammeDetail; onChanged: () => void }) {
  const { t } = useTranslation('programmes');
  const [data, setData] = useState<MoneyData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const id = programme.id;
  const canWrite = programme.canWrite;

  useEffect(() => {
    const controller = new AbortController();
    const s = controller.signal;
    Promise.all([programmesApi.donors(s), programmesApi.pledges(id, s), programmesApi.receipts(id, s), programmesApi.refunds(id, s)])
      .then(([donors, pledges, receipts, refunds]) => setData({ donors: donors.items, pledges: pledges.items, receipts: receipts.items, refunds: refunds.items }))
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [id, version]);

  const saved = useCallback(() => {
    setNotice(t('money.saved'));
    setVersion((v) => v + 1);
    onChanged();
  }, [onChanged, t]);

  async function act(fn: () => Promise<unknown>) {
    setError(null);
    try {
      await fn();
      saved();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const b = programme.balance;
  const proposed = data?.pledges.filter((p) => p.status === 'proposed') ?? [];
  const pledges = data?.pledges.filter((p) => p.status !== 'proposed') ?? [];

  return (
    <div data-testid="money-tab">
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />

      <section className="card" aria-labelledby="money-balances-title">
        <h2 id="money-balances-title">{t('money.balances')}</h2>
        <dl className="stat-grid" data-testid="money-balances">
          <Stat label={t('money.pledged')} value={b.pledged} testId="balance-pledged" />
          <Stat label={t('money.received')} value={b.received} testId="balance-received" />
          <Stat label={t('money.awarded')} value={b.awarded} testId="balance-awarded" />
          <Stat label={t('money.paid')} value={b.paid} testId="balance-paid" />
          <Stat label={t('money.refunded')} value={b.refunded} testId="balance-refunded" />
          <Stat label={t('money.available')} value={b.available} testId="balance-available" tone="stat-ok" />
        </dl>
        <p className="muted">{t('money.identity')}</p>
      </section>

      {proposed.length > 0 && (
        <section className="card" aria-labelledby="money-proposed-title" data-testid="money-proposed">
          <h2 id="money-proposed-title">{t('money.proposed')}</h2>
          <PledgeTable
            pledges={proposed}
            actions={(p) =>
              canWrite && (
                <div className="btn-group">
                  <button type="button" className="btn btn-primary btn-small" data-testid="pledge-confirm" onClick={() => void act(() => programmesApi.confirmPledge(id, p.id))}>
                    {t('money.confirm')}
                  </button>
                  <button type="button" className="btn btn-danger-ghost btn-small" data-testid="pledge-cancel" onClick={() => void act(() => programmesApi.cancelPledge(id, p.id))}>
                    {t('money.cancel')}
                  </button>
                </div>
              )
            }
          />
        </section>
      )}

      <section className="card" aria-labelledby="money-pledges-title">
        <h2 id="money-pledges-title">{t('money.pledges')}</h2>
        {pledges.length === 0 ? (
          <p className="muted">{t('money.no_pledges')}</p>
        ) : (
          <PledgeTable
            pledges={pledges}
            actions={(p) =>
              p.reference && p.status !== 'cancelled' ? (
                <a className="btn btn-ghost btn-small" href={`/api/programmes/${encodeURIComponent(id)}/pledges/${encodeURIComponent(p.id)}/payment.pdf`} download data-testid="pledge-payment-pdf">
                  {t('money.payment_pdf')}
                </a>
              ) : null
            }
          />
        )}
        {canWrite && data && <PledgeForm programme={programme} donors={data.donors} onSaved={saved} />}
      </section>

      <section className="card" aria-labelledby="money-receipts-title">
        <h2 id="money-receipts-title">{t('money.receipts')}</h2>
        {data && data.receipts.length === 0 ? (
          <p className="muted">{t('money.no_receipts')}</p>
        ) : (
          <DataTable
            testId="receipts-table"
            columns={[
              t('money.received_on'),
              t('money.donor'),
              t('money.method'),
              t('money.reference'),
              { label: t('money.amount'), className: 'num' },
              { label: t('money.funded'), className: 'num' },
              { label: t('money.refunded'), className: 'num' },
              { label: t('money.remaining'), className: 'num' },
            ]}
          >
            {data?.receipts.map((r) => (
              <tr key={r.id} data-testid="receipt-row">
                <td>{formatDate(r.receivedOn)}</td>
                <td>{r.donorName}</td>
                <td>{t(`method.${r.method}`)}</td>
                <td>{r.reference}</td>
                <td className="num">{formatVnd(r.amount)}</td>
                <td className="num">{formatVnd(r.funded)}</td>
                <td className="num">{formatVnd(r.refunded)}</td>
                <td className="num">{formatVnd(r.remaining)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {canWrite && data && <ReceiptForm programme={programme} donors={data.donors} pledges={pledges} onSaved={saved} />}
      </section>

      <section className="card" aria-labelledby="money-refunds-title">
        <h2 id="money-refunds-title">{t('money.refunds')}</h2>
        {data && data.refunds.length === 0 ? (
          <p className="muted">{t('money.no_refunds')}</p>
        ) : (
          <DataTable
            testId="refunds-table"
            columns={[
              t('money.refunded_on'),
              t('money.donor'),
              { label: t('money.amount'), className: 'num' },
              t('money.reason'),
            ]}
          >
            {data?.refunds.map((r) => (
              <tr key={r.id}>
                <td>{formatDate(r.refundedOn)}</td>
                <td>{r.donorName}</td>
                <td className="num">{formatVnd(r.amount)}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {canWrite && data && <RefundForm programme={programme} receipts={data.receipts} onSaved={saved} />}
      </section>

      <LedgerPanel programmeId={id} version={version} />

      <section className="card" aria-labelledby="money-donors-title">
        <h2 id="money-donors-title">{t('money.donors')}</h2>
        {data && data.donors.length === 0 ? (
          <p className="muted">{t('money.no_donors')}</p>
        ) : (
          <DataTable testId="donors-table" columns={[t('money.donor_name'), t('money.donor_kind'), t('money.contact'), t('money.public_consent')]}>
            {data?.donors.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{t(`donor_kind.${d.kind}`)}</td>
                <td>{d.contact}</td>
                <td>{d.publicConsent ? '✓' : ''}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {canWrite && <DonorForm ownerUnitCode={programme.ownerUnitCode} onSaved={saved} />}
      </section>
    </div>
  );
}

/** The ledger's postings, newest first, shown on demand. */
function LedgerPanel({ programmeId, version }: { programmeId: string; version: number }) {
  const { t } = useTranslation('programmes');
  const [open, setOpen] = useState(false);
  const [entries, setEntries] = useState<LedgerEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    programmesApi
      .ledger(programmeId, controller.signal)
      .then((l) => setEntries(l.entries))
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [open, programmeId, version]);
  return (
    <section className="card" aria-labelledby="money-ledger-title">
      <div className="card-head">
        <h2 id="money-ledger-title">{t('money.ledger')}</h2>
        <button type="button" className="btn btn-secondary btn-small" data-testid="ledger-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {t('money.ledger')}
        </button>
      </div>
      <ErrorBanner message={error} />
      {open && entries && (
        <>
          <p className="muted">{t('money.ledger_hint')}</p>
          <DataTable
            testId="ledger-table"
            columns={[
              t('money.posted_at'),
              t('money.txn'),
              t('money.account'),
              { label: t('money.amount'), className: 'num' },
              t('money.reason'),
            ]}
          >
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.postedAt)}</td>
                <td>
                  {t(`txn_kind.${e.kind}`)} <span className="muted">{e.txnId.slice(0, 8)}</span>
                </td>
                <td>{t(`account.${e.account}`)}</td>
                <td className="num">{formatVnd(e.amount)}</td>
                <td>{e.memo}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}

function Stat({ label, value, testId, tone }: { label: string; value: number; testId: string; tone?: string }) {
  return (
    <div className={`stat${tone ? ` ${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{formatVnd(value)}</dd>
    </div>
  );
}

function PledgeTable({ pledges, actions }: { pledges: Pledge[]; actions: (p: Pledge) => ReactNode }) {
  const { t } = useTranslation('programmes');
  return (
    <DataTable
      testId="pledges-table"
      columns={[
        t('money.pledged_on'),
        t('money.donor'),
        t('money.earmark'),
        t('money.source'),
        t('money.status'),
        { label: t('money.reconciled'), className: 'num' },
        null,
      ]}
    >
      {pledges.map((p) => (
        <tr key={p.id} data-testid="pledge-row">
          <td>{formatDate(p.pledgedOn)}</td>
          <td>{p.donorName}</td>
          <td>{[p.earmarkCommuneName ?? p.earmarkCommuneCode, p.earmarkTag && t(`selection:tags.${p.earmarkTag}`, { defaultValue: p.earmarkTag })].filter(Boolean).join(', ')}</td>
          <td>{t(`pledge_source.${p.source}`)}</td>
          <td>{t(`pledge_status.${p.status}`)}</td>
          <td className="num" data-testid="pledge-reconciled">
            {formatVnd(p.received)} / {formatVnd(p.amount)}
          </td>
          <td className="actions-cell">{actions(p)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** The amount typed ('2.530.000'): the number, or NaN so the server names the field. */
const amountOf = (text: string) => parseVnd(text) ?? Number.NaN;
const todayText = () => formatDate(today());

/** The money forms: useFormSubmit, then the form is emptied and the tab reloaded. */
function useForm<F extends string>(fields: readonly F[], onSaved: () => void) {
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => localErrors(err) ?? splitErrors(err, fields) });
  async function run(e: FormEvent, fn: () => Promise<unknown>, reset: () => void) {
    e.preventDefault();
    await send(async () => {
      await fn();
      reset();
      onSaved();
    });
  }
  /** A money form: submitting opens the confirmation (the server's figures), confirming posts once. */
  function confirmed(e: FormEvent, action: { ask: () => Promise<unknown> }) {
    e.preventDefault();
    void send(async () => {
      await action.ask();
    });
  }
  function afterConfirm(action: { confirm: () => Promise<unknown> }, reset: () => void) {
    void send(async () => {
      if ((await action.confirm()) === undefined) return;
      reset();
      onSaved();
    });
  }
  return { errors, busy, run, confirmed, afterConfirm };
}

function DonorForm({ ownerUnitCode, onSaved }: { ownerUnitCode: string; onSaved: () => void }) {
  const { t } = useTranslation('programmes');
  const [kind, setKind] = useState<DonorKind>('business');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [consent, setConsent] = useState(false);
  const { errors, busy, run } = useForm(['name', 'kind', 'contact'], onSaved);
  const f = errors.fields;
  return (
    <form
      className="inline-form" style={{ marginTop: '1.25rem' }}
      data-testid="donor-form"
      noValidate
      onSubmit={(e) =>
        void run(
          e,
          () => programmesApi.createDonor({ ownerUnitCode, kind, name, contact: contact.trim() || null, publicConsent: consent }),
          () => {
            setName('');
            setContact('');
            setConsent(false);
          },
        )
      }
    >
      <h3>{t('money.add_donor')}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-2">
        <TextField id="donor-name" label={t('money.donor_name')} error={f.name} type="text" value={name} onChange={setName} />
        <Field id="donor-kind" label={t('money.donor_kind')} error={f.kind}>
          <OptionSelect id="donor-kind" testId="donor-kind" value={kind} options={DONOR_KINDS} label={(k) => t(`donor_kind.${k}`)} onChange={setKind} />
        </Field>
        <TextField id="donor-contact" label={t('money.contact')} error={f.contact} type="text" value={contact} onChange={setContact} />
        <div className="field field-submit">
          <label>
            <input type="checkbox" data-testid="donor-consent" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {t('money.public_consent')}
          </label>
        </div>
      </div>
      <button type="submit" className="btn btn-secondary" data-testid="donor-submit" disabled={busy}>
        {t('money.add_donor')}
      </button>
    </form>
  );
}

function DonorSelect({ id, donors, value, error, onChange }: { id: string; donors: Donor[]; value: string; error?: string; onChange: (v: string) => void }) {
  const { t } = useTranslation('programmes');
  return (
    <select {...inputProps(id, error)} data-testid={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('money.choose')}</option>
      {donors.map((d) => (
        <option key={d.id} value={d.id}>
          {d.name}
        </option>
      ))}
    </select>
  );
}

function PledgeForm({ programme, donors, onSaved }: { programme: ProgrammeDetail; donors: Donor[]; onSaved: () => void }) {
  const { t } = useTranslation('programmes');
  const [donorId, setDonorId] = useState('');
  const [amount, setAmount] = useState('');
  const [pledgedOn, setPledgedOn] = useState(todayText);
  const [commune, setCommune] = useState<string[]>([]);
  const [tag, setTag] = useState('');
  const { errors, busy, run } = useForm(['donorId', 'amount', 'pledgedOn', 'earmarkCommuneCode', 'earmarkTag'], onSaved);
  const f = errors.fields;
  return (
    <form
      className="inline-form" style={{ marginTop: '1.25rem' }}
      data-testid="pledge-form"
      noValidate
      onSubmit={(e) =>
        void run(
          e,
          () =>
            programmesApi.createPledge(programme.id, {
              donorId,
              amount: amountOf(amount),
              pledgedOn: dayOf(pledgedOn, 'pledgedOn'),
              earmarkCommuneCode: commune[0] ?? null,
              earmarkTag: tag || null,
            }),
          () => {
            setAmount('');
            setCommune([]);
            setTag('');
          },
        )
      }
    >
      <h3>{t('money.add_pledge')}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-2">
        <Field id="pledge-donor" label={t('money.donor')} error={f.donorId}>
          <DonorSelect id="pledge-donor" donors={donors} value={donorId} error={f.donorId} onChange={setDonorId} />
        </Field>
        <TextField
          id="pledge-amount"
          label={t('money.amount')}
          error={f.amount}
          type="text"
          inputMode="numeric"
          value={amount}
          onChange={setAmount}
        />
        <Field id="pledge-date" label={t('money.pledged_on')} error={f.pledgedOn}>
          <DayInput id="pledge-date" testId="pledge-date" value={pledgedOn} error={f.pledgedOn} onChange={setPledgedOn} />
        </Field>
        <Field id="pledge-commune" label={t('money.earmark_commune')} error={f.earmarkCommuneCode}>
          <UnitPicker id="pledge-commune" codes={commune} levels={COMMUNE_LEVEL} error={f.earmarkCommuneCode} onChange={setCommune} />
        </Field>
        <Field id="pledge-tag" label={t('money.earmark_tag')} error={f.earmarkTag}>
          <select {...inputProps('pledge-tag', f.earmarkTag)} data-testid="pledge-tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">{t('money.earmark_none')}</option>
            {KNOWN_TAGS.map((k) => (
              <option key={k} value={k}>
                {t(`selection:tags.${k}`, { defaultValue: k })}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <button type="submit" className="btn btn-secondary" data-testid="pledge-submit" disabled={busy}>
        {t('money.add_pledge')}
      </button>
    </form>
  );
}

function ReceiptForm({ programme, donors, pledges, onSaved }: { programme: ProgrammeDetail; donors: Donor[]; pledges: Pledge[]; onSaved: () => void }) {
  const { t } = useTranslation('programmes');
  const [donorId, setDonorId] = useState('');
  const [pledgeId, setPledgeId] = useState('');
  const [amount, setAmount] = useState('');
  const [receivedOn, setReceivedOn] = useState(todayText);
  const [method, setMethod] = useState<PaymentMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const { errors, busy, confirmed, afterConfirm } = useForm(['donorId', 'pledgeId', 'amount', 'receivedOn', 'method', 'reference'], onSaved);
  const receipt = useConfirmedAction((confirm, key) =>
    programmesApi.createReceipt(
      programme.id,
      { donorId, pledgeId: pledgeId || null, amount: amountOf(amount), receivedOn: dayOf(receivedOn, 'receivedOn'), method, reference: reference.trim() || null },
      confirm,
      key,
    ),
  );
  const f = errors.fields;
  const donorPledges = pledges.filter((p) => p.donorId === donorId && p.status === 'confirmed');
  return (
    <form className="inline-form" style={{ marginTop: '1.25rem' }} data-testid="receipt-form" noValidate onSubmit={(e) => confirmed(e, receipt)}>
      <h3>{t('money.add_receipt')}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-2">
        <Field id="receipt-donor" label={t('money.donor')} error={f.donorId}>
          <DonorSelect
            id="receipt-donor"
            donors={donors}
            value={donorId}
            error={f.donorId}
            onChange={(v) => {
              setDonorId(v);
              setPledgeId('');
            }}
          />
        </Field>
        <Field id="receipt-pledge" label={t('money.pledge')} error={f.pledgeId}>
          <select {...inputProps('receipt-pledge', f.pledgeId)} data-testid="receipt-pledge" value={pledgeId} onChange={(e) => setPledgeId(e.target.value)}>
            <option value="">{t('money.no_pledge')}</option>
            {donorPledges.map((p) => (
              <option key={p.id} value={p.id}>
                {formatDate(p.pledgedOn)}: {formatVnd(p.received)} / {formatVnd(p.amount)}
              </option>
            ))}
          </select>
        </Field>
        <TextField
          id="receipt-amount"
          label={t('money.amount')}
          error={f.amount}
          type="text"
          inputMode="numeric"
          value={amount}
          onChange={setAmount}
        />
        <Field id="receipt-date" label={t('money.received_on')} error={f.receivedOn}>
          <DayInput id="receipt-date" testId="receipt-date" value={receivedOn} error={f.receivedOn} onChange={setReceivedOn} />
        </Field>
        <Field id="receipt-method" label={t('money.method')} error={f.method}>
          <OptionSelect id="receipt-method" testId="receipt-method" value={method} options={PAYMENT_METHODS} label={(m) => t(`method.${m}`)} onChange={setMethod} />
        </Field>
        <TextField id="receipt-reference" label={t('money.reference')} error={f.reference} type="text" value={reference} onChange={setReference} />
      </div>
      <button type="submit" className="btn btn-primary" data-testid="receipt-submit" disabled={busy || receipt.busy || receipt.pending !== null}>
        {t('money.add_receipt')}
      </button>
      {receipt.pending && (
        <ConfirmBar
          details={receipt.pending}
          busy={busy || receipt.busy}
          testId="receipt-confirm"
          onCancel={receipt.cancel}
          onConfirm={() =>
            afterConfirm(receipt, () => {
              setAmount('');
              setReference('');
              setPledgeId('');
            })
          }
        />
      )}
    </form>
  );
}

function RefundForm({ programme, receipts, onSaved }: { programme: ProgrammeDetail; receipts: Receipt[]; onSaved: () => void }) {
  const { t } = useTranslation('programmes');
  const [receiptId, setReceiptId] = useState('');
  const [amount, setAmount] = useState('');
  const [refundedOn, setRefundedOn] = useState(todayText);
  const [reason, setReason] = useState('');
  const { errors, busy, confirmed, afterConfirm } = useForm(['receiptId', 'amount', 'refundedOn', 'reason'], onSaved);
  const refund = useConfirmedAction((confirm, key) =>
    programmesApi.createRefund(programme.id, { receiptId, amount: amountOf(amount), refundedOn: dayOf(refundedOn, 'refundedOn'), reason: reason.trim() || null }, confirm, key),
  );
  const f = errors.fields;
  const open = receipts.filter((r) => r.remaining > 0);
  if (open.length === 0) return null;
  return (
    <form className="inline-form" style={{ marginTop: '1.25rem' }} data-testid="refund-form" noValidate onSubmit={(e) => confirmed(e, refund)}>
      <h3>{t('money.add_refund')}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-2">
        <Field id="refund-receipt" label={t('money.receipt')} error={f.receiptId}>
          <select {...inputProps('refund-receipt', f.receiptId)} data-testid="refund-receipt" value={receiptId} onChange={(e) => setReceiptId(e.target.value)}>
            <option value="">{t('money.choose')}</option>
            {open.map((r) => (
              <option key={r.id} value={r.id}>
                {formatDate(r.receivedOn)} {r.donorName}: {t('money.remaining')} {formatVnd(r.remaining)}
              </option>
            ))}
          </select>
        </Field>
        <TextField
          id="refund-amount"
          label={t('money.amount')}
          error={f.amount}
          type="text"
          inputMode="numeric"
          value={amount}
          onChange={setAmount}
        />
        <Field id="refund-date" label={t('money.refunded_on')} error={f.refundedOn}>
          <DayInput id="refund-date" testId="refund-date" value={refundedOn} error={f.refundedOn} onChange={setRefundedOn} />
        </Field>
        <TextField id="refund-reason" label={t('money.reason')} error={f.reason} type="text" value={reason} onChange={setReason} />
      </div>
      <button type="submit" className="btn btn-secondary" data-testid="refund-submit" disabled={busy || refund.busy || refund.pending !== null}>
        {t('money.add_refund')}
      </button>
      {refund.pending && (
        <ConfirmBar
          details={refund.pending}
          busy={busy || refund.busy}
          testId="refund-confirm"
          onCancel={refund.cancel}
          onConfirm={() =>
            afterConfirm(refund, () => {
              setAmount('');
              setReason('');
            })
          }
        />
      )}
    </form>
  );
}
