/**
 * Donor statements of a programme (staff): every donor with what they pledged, gave, got back and funded;
 * one donor's statement (pledges, receipts, refunds, the cards their money bought, beneficiaries masked)
 * and the PDF to send them.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { ErrorBanner } from '../ui/ErrorBanner';
import { formatDate, formatVnd } from '../format';
import { handoverApi, type DonorStatement, type DonorTotals } from './handoverApi';
import { DataTable } from '../ui/DataTable';

function StatementView({ programmeId, donorId }: { programmeId: string; donorId: string }) {
  const { t } = useTranslation('handover');
  const [s, setS] = useState<DonorStatement | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    setS(null);
    handoverApi
      .statement(programmeId, donorId, ctrl.signal)
      .then(setS)
      .catch((err: unknown) => {
        if (!isAbort(err)) setError((err as Error).message);
      });
    return () => ctrl.abort();
  }, [programmeId, donorId]);
  if (!s) return <ErrorBanner message={error} />;
  return (
    <div className="card" data-testid="statement">
      <div className="card-head">
        <h4>{s.donor.name}</h4>
        <a className="btn btn-secondary btn-small" href={handoverApi.statementPdfUrl(programmeId, donorId)} download data-testid="statement-pdf">
          {t('web.statementPdf')}
        </a>
        <a className="btn btn-secondary btn-small" href={handoverApi.thanksPdfUrl(programmeId, donorId)} download data-testid="statement-thanks-pdf">
          {t('web.thanksPdf')}
        </a>
      </div>
      <div className="stat-grid">
        {(['pledged', 'received', 'refunded', 'funded', 'unspent'] as const).map((k) => (
          <div className="stat" key={k}>
            <div className="stat-label">{t(`statement.total_${k}`)}</div>
            <div className="stat-value">{formatVnd(s.totals[k])}</div>
          </div>
        ))}
        <div className="stat">
          <div className="stat-label">{t('statement.total_cards')}</div>
          <div className="stat-value">{s.totals.cards}</div>
          <div className="stat-sub">{t('statement.handed_over_count', { count: s.totals.handedOver })}</div>
        </div>
      </div>
      <h5>{t('statement.receipts')}</h5>
      {s.receipts.length === 0 ? (
        <p className="empty">{t('statement.none')}</p>
      ) : (
        <ul className="result-list">
          {s.receipts.map((r) => (
            <li key={r.id}>
              {formatDate(r.receivedOn)} · {formatVnd(r.amount)} · {t(`methods.${r.method}`)}
              {r.reference ? ` · ${r.reference}` : ''}
            </li>
          ))}
        </ul>
      )}
      {s.refunds.length > 0 && (
        <>
          <h5>{t('statement.refunds')}</h5>
          <ul className="result-list">
            {s.refunds.map((r) => (
              <li key={r.id}>
                {formatDate(r.refundedOn)} · {formatVnd(r.amount)}
                {r.reason ? ` · ${r.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      <h5>{t('statement.cards')}</h5>
      {s.cards.length === 0 ? (
        <p className="empty">{t('statement.none')}</p>
      ) : (
        <DataTable
          testId="statement-cards"
          columns={[
            t('statement.col_no'),
            t('statement.col_beneficiary'),
            t('statement.col_group'),
            { label: t('statement.col_funded'), className: 'num-cell' },
            { label: t('statement.col_card_price'), className: 'num-cell' },
            t('statement.col_card_status'),
          ]}
        >
          {s.cards.map((c, i) => (
            <tr key={c.awardId}>
              <td className="num-cell">{i + 1}</td>
              <td>{c.beneficiary}</td>
              <td>{c.groupCode}</td>
              <td className="num-cell">{formatVnd(c.funded)}</td>
              <td className="num-cell">{formatVnd(c.awardAmount)}</td>
              <td>{c.handedOver ? t('statement.handed_over') : t('statement.not_yet_handed_over')}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <p className="small muted">{t('statement.privacy')}</p>
    </div>
  );
}

export function StatementPanel({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation('handover');
  const [donors, setDonors] = useState<DonorTotals[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    handoverApi
      .statements(programmeId, ctrl.signal)
      .then((r) => setDonors(r.items))
      .catch((err: unknown) => {
        if (!isAbort(err)) setError((err as Error).message);
      });
    return () => ctrl.abort();
  }, [programmeId]);

  return (
    <section className="card" data-testid="statements" aria-labelledby="statements-title">
      <h3 id="statements-title">{t('web.statements')}</h3>
      <ErrorBanner message={error} />
      {donors && donors.length === 0 && <p className="empty">{t('web.noDonors')}</p>}
      {donors && donors.length > 0 && (
        <DataTable
          testId="statements-table"
          columns={[
            t('statement.donor'),
            { label: t('statement.total_pledged'), className: 'num-cell' },
            { label: t('statement.total_received'), className: 'num-cell' },
            { label: t('statement.total_refunded'), className: 'num-cell' },
            { label: t('statement.total_funded'), className: 'num-cell' },
            { label: t('statement.total_cards'), className: 'num-cell' },
            null,
          ]}
        >
          {donors.map((d) => (
            <tr key={d.donorId} className={chosen === d.donorId ? 'selected' : undefined}>
              <td>
                {d.name}
                {d.publicConsent && <span className="pill pill-ok small"> {t('web.named')}</span>}
              </td>
              <td className="num-cell">
                {formatVnd(d.pledged)}
                {d.proposed > 0 && <div className="small muted">{t('web.proposed', { amount: formatVnd(d.proposed) })}</div>}
              </td>
              <td className="num-cell">{formatVnd(d.received)}</td>
              <td className="num-cell">{formatVnd(d.refunded)}</td>
              <td className="num-cell">{formatVnd(d.funded)}</td>
              <td className="num-cell">{d.cards}</td>
              <td className="actions-cell">
                <button type="button" className="btn btn-small btn-secondary" onClick={() => setChosen(d.donorId)} data-testid={`statement-open-${d.donorId}`}>
                  {t('web.openStatement')}
                </button>
                <a className="btn btn-small btn-ghost" href={handoverApi.statementPdfUrl(programmeId, d.donorId)} download>
                  {t('web.pdf')}
                </a>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {chosen && <StatementView programmeId={programmeId} donorId={chosen} />}
    </section>
  );
}
