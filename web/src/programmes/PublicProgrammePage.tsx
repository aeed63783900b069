/**
 * The public page of a donation programme (#/p/<slug>, no login): money raised, spent and left; progress
 * against the deadline; cards by commune and by group; the donors who agreed to be named; the masked list
 * of beneficiaries ("Nguyễn T. H., 2009, Xã Bảo Thắng"); and a pledge form whose offer staff confirm later.
 * Nothing personal is on it: the API sends masked names only.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { formatDate, formatVnd, parseVnd } from '../format';
import { handoverApi, type PublicPledgeInput, type PublicProgramme } from './handoverApi';
import { DataTable } from '../ui/DataTable';
import { href } from '../router';

const KINDS = ['individual', 'organisation', 'business', 'officials'] as const;
const BENEFICIARIES_SHOWN = 200;

type PledgeAnswer = Awaited<ReturnType<typeof handoverApi.publicPledge>>;

/** The VietQR code of a pledge just offered, with the account and the reference to keep in the transfer. */
function PayByQr({ answer }: { answer: PledgeAnswer }) {
  const { t } = useTranslation('bank');
  const account = answer.account!;
  return (
    <div className="pay-qr" data-testid="pledge-qr" data-reference={answer.reference}>
      <h3>{t('web.payTitle')}</h3>
      <img
        src={answer.qrPng!}
        width={240}
        height={240}
        data-testid="pledge-qr-image"
        alt={t('web.qrAlt', { amount: formatVnd(answer.amount), account: `${account.bankName} ${account.accountNumber}`, reference: answer.reference })}
      />
      <dl className="pay-qr-details">
        <dt>{t('web.bank')}</dt>
        <dd>{account.bankName}</dd>
        <dt>{t('web.accountNumber')}</dt>
        <dd>{account.accountNumber}</dd>
        <dt>{t('web.accountName')}</dt>
        <dd>{account.accountName}</dd>
        <dt>{t('web.amount')}</dt>
        <dd>{formatVnd(answer.amount)}</dd>
        <dt>{t('web.reference')}</dt>
        <dd>
          <strong data-testid="pledge-reference">{answer.reference}</strong>
        </dd>
      </dl>
      <p className="small">{t('web.payLead', { reference: answer.reference })}</p>
      <p className="small">
        <a href={href('check', answer.reference!)} data-testid="pledge-check-link">
          {t('web.checkAfterPaying')}
        </a>
      </p>
    </div>
  );
}

function PledgeForm({ programme }: { programme: PublicProgramme }) {
  const { t } = useTranslation('handover');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [amount, setAmount] = useState('');
  const [earmark, setEarmark] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('individual');
  const [consent, setConsent] = useState(false);
  const [note, setNote] = useState('');
  const [thanks, setThanks] = useState<PledgeAnswer | null>(null);
  const { errors, busy, invalid, send } = useFormSubmit({
    errorsOf: (err) =>
      err instanceof ApiError && err.status === 429
        ? { fields: {}, banner: t('web.tooMany') }
        : splitErrors(err, ['name', 'contact', 'amount', 'earmarkCommuneCode', 'kind', 'publicConsent', 'note']),
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = parseVnd(amount);
    if (invalid(value === null || value <= 0 ? { amount: t('web.amountInvalid') } : {}) || value === null) return;
    const body: PublicPledgeInput = { name, contact, amount: value, kind, publicConsent: consent, earmarkCommuneCode: earmark || null, note: note || null };
    await send(async () => setThanks(await handoverApi.publicPledge(programme.slug, body)));
  }

  if (thanks)
    return (
      <section className="card" data-testid="pledge-thanks" aria-live="polite">
        <h2>{t('web.thanksTitle')}</h2>
        <p>{thanks.message}</p>
        {thanks.qrPng && thanks.account && thanks.reference && <PayByQr answer={thanks} />}
        <p className="muted">{t('web.thanksNext')}</p>
      </section>
    );
  return (
    <form className="card admin-form" onSubmit={submit} data-testid="pledge-form" noValidate aria-labelledby="pledge-title">
      <h2 id="pledge-title">{t('web.pledgeTitle')}</h2>
      <p className="muted">{t('web.pledgeLead')}</p>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-2">
        <TextField
          id="pledge-name"
          label={t('web.pledgeName')}
          error={errors.fields.name}
          autoComplete="name"
          maxLength={200}
          value={name}
          onChange={setName}
        />
        <TextField
          id="pledge-contact"
          label={t('web.pledgeContact')}
          error={errors.fields.contact}
          hint={t('web.pledgeContactHint')}
          maxLength={200}
          value={contact}
          onChange={setContact}
        />
        <TextField
          id="pledge-amount"
          label={t('web.pledgeAmount')}
          error={errors.fields.amount}
          hint={t('web.pledgeAmountHint')}
          inputMode="numeric"
          value={amount}
          onChange={setAmount}
        />
        <Field id="pledge-kind" label={t('web.pledgeKind')} error={errors.fields.kind}>
          <select {...inputProps('pledge-kind', errors.fields.kind)} data-testid="pledge-kind" value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`web.kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        {programme.earmarkCommunes.length > 0 && (
          <Field id="pledge-earmark" label={t('web.pledgeEarmark')} error={errors.fields.earmarkCommuneCode}>
            <select {...inputProps('pledge-earmark', errors.fields.earmarkCommuneCode)} data-testid="pledge-earmark" value={earmark} onChange={(e) => setEarmark(e.target.value)}>
              <option value="">{t('web.anyCommune')}</option>
              {programme.earmarkCommunes.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <TextField id="pledge-note" label={t('web.note')} error={errors.fields.note} maxLength={1000} value={note} onChange={setNote} />
      </div>
      <label className="checkbox">
        <input type="checkbox" data-testid="pledge-consent" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {t('web.pledgeConsent')}
      </label>
      <p className="small muted">{t('web.pledgePrivacy')}</p>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="pledge-submit">
        {t('web.pledgeSubmit')}
      </button>
    </form>
  );
}

export function PublicProgrammePage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation('handover');
  const [page, setPage] = useState<PublicProgramme | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setPage(null);
    setError(null);
    handoverApi
      .publicProgramme(slug, ctrl.signal)
      .then(setPage)
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setError(err instanceof ApiError && err.status === 404 ? t('web.publicNotFound') : (err as Error).message);
      });
    return () => ctrl.abort();
  }, [slug, t, i18n.language]);

  if (error) return <ErrorBanner message={error} />;
  if (!page)
    return (
      <p className="muted" role="status">
        {t('web.loading')}
      </p>
    );
  const { money, progress } = page;
  const handedPct = progress.cardsAwarded ? Math.round((progress.cardsHandedOver / progress.cardsAwarded) * 100) : 0;
  const people = showAll ? page.beneficiaries : page.beneficiaries.slice(0, BENEFICIARIES_SHOWN);
  return (
    <div className="public-programme" data-testid="public-programme">
      <div className="page-head">
        <h1>{page.name}</h1>
        <p className="lead">{t('web.publicLead', { unit: page.ownerUnitName, deadline: formatDate(page.deadline), months: page.cardMonths })}</p>
        <p className="public-links">
          <a href={href('p', slug, 'ledger')} data-testid="public-ledger-link">
            {t('bank:web.ledgerTitle')}
          </a>
          {' · '}
          <a href={href('check')} data-testid="public-check-link">
            {t('bank:web.checkLink')}
          </a>
        </p>
      </div>
      <div className="stat-grid stat-grid-4" data-testid="public-money">
        <div className="stat">
          <div className="stat-label">{t('web.raised')}</div>
          <div className="stat-value stat-big">{formatVnd(money.received)}</div>
          {money.refunded > 0 && <div className="stat-sub">{t('web.refunded', { amount: formatVnd(money.refunded) })}</div>}
        </div>
        <div className="stat">
          <div className="stat-label">{t('web.spent')}</div>
          <div className="stat-value stat-big">{formatVnd(money.spent)}</div>
        </div>
        <div className="stat">
          <div className="stat-label">{t('web.left')}</div>
          <div className="stat-value stat-big">{formatVnd(money.left)}</div>
        </div>
        <div className="stat">
          <div className="stat-label">{t('web.pledged')}</div>
          <div className="stat-value">{formatVnd(money.pledged)}</div>
        </div>
      </div>

      <section className="card" data-testid="public-progress" aria-labelledby="progress-title">
        <h2 id="progress-title">{t('web.progress')}</h2>
        <p>
          {t('web.cardsProgress', { handed: progress.cardsHandedOver, awarded: progress.cardsAwarded })}
          {' · '}
          {progress.overdue ? (
            <span className="badge badge-expired">{t('web.overdueDays', { count: -progress.daysLeft })}</span>
          ) : progress.daysLeft >= 0 ? (
            t('web.daysLeft', { count: progress.daysLeft, deadline: formatDate(progress.deadline) })
          ) : (
            t('web.deadlinePassed', { deadline: formatDate(progress.deadline) })
          )}
        </p>
        <div className="meter" role="img" aria-label={t('web.cardsProgress', { handed: progress.cardsHandedOver, awarded: progress.cardsAwarded })}>
          <div className="meter-fill" style={{ width: `${handedPct}%` }} />
        </div>
      </section>

      <div className="group-layout">
        <section className="card" aria-labelledby="by-commune-title">
          <h2 id="by-commune-title">{t('web.byCommune')}</h2>
          {page.cardsByCommune.length === 0 ? (
            <p className="empty">{t('web.noCards')}</p>
          ) : (
            <DataTable
              testId="by-commune"
              wrap={false}
              columns={[
                t('web.commune'),
                { label: t('web.cards'), className: 'num-cell' },
                { label: t('web.handedOverShort'), className: 'num-cell' },
                { label: t('web.amount'), className: 'num-cell' },
              ]}
            >
              {page.cardsByCommune.map((c) => (
                <tr key={c.communeCode}>
                  <td>{c.communeName}</td>
                  <td className="num-cell">{c.cards}</td>
                  <td className="num-cell">{c.handedOver}</td>
                  <td className="num-cell">{formatVnd(c.amount)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
        <section className="card" aria-labelledby="by-group-title">
          <h2 id="by-group-title">{t('web.byGroup')}</h2>
          {page.cardsByGroup.length === 0 ? (
            <p className="empty">{t('web.noCards')}</p>
          ) : (
            <DataTable
              testId="by-group"
              wrap={false}
              columns={[
                t('web.group'),
                { label: t('web.cards'), className: 'num-cell' },
                { label: t('web.handedOverShort'), className: 'num-cell' },
              ]}
            >
              {page.cardsByGroup.map((g) => (
                <tr key={g.groupCode}>
                  <td>{t(`web.groups.${g.groupCode}`, { defaultValue: g.groupCode })}</td>
                  <td className="num-cell">{g.cards}</td>
                  <td className="num-cell">{g.handedOver}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      </div>

      <section className="card" data-testid="public-donors" aria-labelledby="donors-title">
        <h2 id="donors-title">{t('web.donors')}</h2>
        {page.donors.length === 0 && page.otherDonors.count === 0 && <p className="empty">{t('web.noDonorsYet')}</p>}
        <ul className="result-list">
          {page.donors.map((d) => (
            <li key={`${d.name}-${d.given}`}>
              <strong>{d.name}</strong>: {formatVnd(d.given)}
            </li>
          ))}
        </ul>
        {page.otherDonors.count > 0 && <p className="muted">{t('web.otherDonors', { count: page.otherDonors.count, amount: formatVnd(page.otherDonors.given) })}</p>}
      </section>

      <section className="card" data-testid="public-beneficiaries" aria-labelledby="beneficiaries-title">
        <h2 id="beneficiaries-title">{t('web.beneficiaries', { count: page.beneficiaries.length })}</h2>
        {page.beneficiaries.length === 0 ? (
          <p className="empty">{t('web.noCards')}</p>
        ) : (
          <ol className="result-list">
            {people.map((b, i) => (
              <li key={`${b.beneficiary}-${i}`}>
                {b.beneficiary}
                {b.handedOver && <span className="pill pill-ok small"> {t('web.handedOverShort')}</span>}
              </li>
            ))}
          </ol>
        )}
        {!showAll && page.beneficiaries.length > BENEFICIARIES_SHOWN && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setShowAll(true)}>
            {t('web.showAll', { count: page.beneficiaries.length })}
          </button>
        )}
        <p className="small muted">{t('web.maskedNote')}</p>
      </section>

      {page.pledgesOpen ? <PledgeForm programme={page} /> : <Notice message={t('web.pledgesClosed')} />}
    </div>
  );
}
