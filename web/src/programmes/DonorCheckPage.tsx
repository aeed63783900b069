/**
 * The donor's self-check (#/check, #/check/<REFERENCE>; no login): a donor types their pledge's payment
 * reference, or the bank's transaction id and the amount, and sees when the money arrived, how much, in
 * which programme, and what it bought: cards, communes, the people as initials and birth year, the
 * handovers with their minutes number. The API never sends a name, an id or anything about other donors.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { splitErrors } from '../errors';
import { formatDate, formatVnd, parseVnd } from '../format';
import { href } from '../router';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { transparencyApi, type DonorCheck, type DonorCheckInput } from './transparencyApi';

function CheckResult({ r }: { r: DonorCheck }) {
  const { t } = useTranslation('bank');
  const f = r.funded;
  return (
    <section className="card" data-testid="check-result" aria-live="polite" aria-labelledby="check-result-title">
      <h2 id="check-result-title">
        {r.programme.slug ? <a href={href('p', r.programme.slug)}>{r.programme.name}</a> : r.programme.name}
      </h2>
      {r.receipts.length === 0 ? (
        <p data-testid="check-not-received">
          {r.bankLines.length > 0
            ? t('web.checkBankOnly', { date: formatDate(r.bankLines[0].bookedOn), amount: formatVnd(r.bankLines[0].amount) })
            : t('web.checkNotReceived')}
        </p>
      ) : (
        <ul className="check-receipts" data-testid="check-receipts">
          {r.receipts.map((x, i) => (
            <li key={i}>{t('web.checkReceived', { date: formatDate(x.receivedOn), amount: formatVnd(x.amount) })}</li>
          ))}
        </ul>
      )}
      {r.pledged !== null && r.difference !== null && r.difference !== 0 && (
        <p className="muted">{t(r.difference < 0 ? 'web.checkShort' : 'web.checkOver', { pledged: formatVnd(r.pledged), amount: formatVnd(Math.abs(r.difference)) })}</p>
      )}
      {r.refunded > 0 && <p className="muted">{t('web.checkRefunded', { amount: formatVnd(r.refunded) })}</p>}

      <h3>{t('web.checkFundedTitle')}</h3>
      {f.cards === 0 ? (
        <p className="empty">{t('web.checkNothingFunded')}</p>
      ) : (
        <>
          <p data-testid="check-funded">{t('web.checkFunded', { count: f.cards, amount: formatVnd(f.amount), communes: f.communes.join(', ') })}</p>
          <DataTable testId="check-people" columns={[t('web.checkPerson'), t('web.checkBirthYear'), t('web.checkCommune'), { label: t('web.checkPaid'), className: 'num-cell' }, t('web.checkHandedOver')]}>
            {f.beneficiaries.map((b, i) => (
              <tr key={i}>
                <td>{b.initials}</td>
                <td>{b.birthYear}</td>
                <td>{b.communeName}</td>
                <td className="num-cell">{formatVnd(b.funded)}</td>
                <td>{b.handedOver && b.handoverOn ? formatDate(b.handoverOn) : '—'}</td>
              </tr>
            ))}
          </DataTable>
          {f.handovers.length > 0 && (
            <ul className="check-handovers" data-testid="check-handovers">
              {f.handovers.map((h, i) => (
                <li key={i}>
                  {t('web.checkHandover', { commune: h.communeName, date: formatDate(h.heldOn), handed: h.handedOver, cards: h.cards })}
                  {h.minutesNumber ? ` ${t('web.checkMinutes', { number: h.minutesNumber })}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {r.unspent > 0 && <p className="muted">{t('web.checkUnspent', { amount: formatVnd(r.unspent) })}</p>}
    </section>
  );
}

export function DonorCheckPage({ initialReference }: { initialReference?: string }) {
  const { t } = useTranslation('bank');
  const [mode, setMode] = useState<'reference' | 'transaction'>('reference');
  const [reference, setReference] = useState(initialReference ?? '');
  const [transactionId, setTransactionId] = useState('');
  const [amount, setAmount] = useState('');
  const [result, setResult] = useState<DonorCheck | null>(null);
  const { errors, busy, invalid, send } = useFormSubmit({
    errorsOf: (err) =>
      err instanceof ApiError && (err.status === 404 || err.status === 429) ? { fields: {}, banner: err.message } : splitErrors(err, ['reference', 'transactionId', 'amount']),
  });

  async function check(body: DonorCheckInput) {
    setResult(null);
    await send(async () => setResult(await transparencyApi.check(body)));
  }

  // a link with the reference (#/check/CD7K3M9Q, from the pledge's confirmation) checks at once
  useEffect(() => {
    if (initialReference) void check({ reference: initialReference });
  }, [initialReference]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mode === 'reference') return check({ reference });
    const value = parseVnd(amount);
    if (invalid(value === null || value <= 0 ? { amount: t('web.amountInvalid') } : {}) || value === null) return;
    return check({ transactionId, amount: value });
  }

  return (
    <div className="donor-check" data-testid="donor-check">
      <div className="page-head">
        <h1>{t('web.checkTitle')}</h1>
        <p className="lead">{t('web.checkLead')}</p>
      </div>
      <form className="card admin-form" onSubmit={submit} noValidate data-testid="check-form">
        <div className="segmented" role="group" aria-label={t('web.checkTitle')}>
          <button type="button" className={`btn btn-small ${mode === 'reference' ? 'btn-primary' : 'btn-secondary'}`} aria-pressed={mode === 'reference'} onClick={() => setMode('reference')} data-testid="check-by-reference">
            {t('web.checkByReference')}
          </button>
          <button type="button" className={`btn btn-small ${mode === 'transaction' ? 'btn-primary' : 'btn-secondary'}`} aria-pressed={mode === 'transaction'} onClick={() => setMode('transaction')} data-testid="check-by-transaction">
            {t('web.checkByTransaction')}
          </button>
        </div>
        <ErrorBanner message={errors.banner} />
        {mode === 'reference' ? (
          <TextField id="check-reference" label={t('web.reference')} hint={t('web.checkReferenceHint')} error={errors.fields.reference} maxLength={40} autoComplete="off" value={reference} onChange={setReference} />
        ) : (
          <div className="form-grid">
            <TextField id="check-transaction" label={t('web.checkTransactionId')} error={errors.fields.transactionId} maxLength={60} autoComplete="off" value={transactionId} onChange={setTransactionId} />
            <TextField id="check-amount" label={t('web.amount')} hint={t('web.checkAmountHint')} error={errors.fields.amount} inputMode="numeric" value={amount} onChange={setAmount} />
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="check-submit">
          {t('web.checkButton')}
        </button>
        <p className="small muted">{t('web.checkPrivacy')}</p>
      </form>
      {result && <CheckResult r={result} />}
    </div>
  );
}
