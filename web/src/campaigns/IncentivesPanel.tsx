/**
 * A campaign's gifts and vouchers: the incentive ledger (issued, redeemed, expired, outstanding, with their
 * value) and, for staff who may, redeeming a voucher by its code at a renewal (a second time is refused,
 * naming when and by whom). Giving them: `bin/coverdesk incentive issue` or POST /api/incentives.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { splitErrors } from '../errors';
import { formatNumber, formatVnd } from '../format';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { campaignsApi } from './campaignsApi';
import { useLoad } from '../ui/useLoad';

export function IncentivesPanel({ campaignId, canRedeem }: { campaignId: string; canRedeem: boolean }) {
  const { t, i18n } = useTranslation('campaigns');
  const lang = i18n.language;
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, ['code'] as const) });

  const [ledger] = useLoad((signal) => campaignsApi.ledger(campaignId, signal), [campaignId, version], setError);

  async function redeem(e: FormEvent) {
    e.preventDefault();
    await send(async () => {
      const used = await campaignsApi.redeem(code);
      setNotice(t('web.redeemed', { code: used.code, value: formatVnd(used.value) }));
      setCode('');
      setVersion((v) => v + 1);
    });
  }

  return (
    <section className="card" data-testid="campaign-incentives">
      <h2>{t('web.incentives')}</h2>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      {ledger && ledger.kinds.length === 0 && <p className="muted">{t('web.no_incentives')}</p>}
      {ledger && ledger.kinds.length > 0 && (
        <DataTable
          columns={[
            t('web.incentive_kind'),
            { label: t('web.issued'), className: 'num' },
            { label: t('web.redeemed_count'), className: 'num' },
            { label: t('web.expired'), className: 'num' },
            { label: t('web.outstanding'), className: 'num' },
          ]}
          testId="incentive-ledger"
        >
          {ledger.kinds.map((k) => (
            <tr key={k.kind}>
              <td>{t(`incentive_kinds.${k.kind}`)}</td>
              <td className="num">
                {formatNumber(k.issued, lang)} · {formatVnd(k.issuedValue)}
              </td>
              <td className="num">
                {formatNumber(k.redeemed, lang)} · {formatVnd(k.redeemedValue)}
              </td>
              <td className="num">
                {formatNumber(k.expired, lang)} · {formatVnd(k.expiredValue)}
              </td>
              <td className="num">
                {formatNumber(k.outstanding, lang)} · {formatVnd(k.outstandingValue)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {canRedeem && (
        <form className="form-inline" onSubmit={redeem} noValidate data-testid="redeem-form">
          <ErrorBanner message={errors.banner} />
          <TextField id="redeem-code" label={t('web.voucher_code')} error={errors.fields.code} value={code} onChange={setCode} maxLength={20} autoComplete="off" />
          <button type="submit" className="btn btn-secondary" disabled={busy || code.trim().length < 4} data-testid="redeem-submit">
            {t('web.redeem')}
          </button>
        </form>
      )}
      <p className="muted small">{t('web.incentives_hint')}</p>
    </section>
  );
}
