/**
 * A member's voluntary social insurance (BHXH tự nguyện) participation periods, under their cards: from,
 * to, monthly income, payment period, source; staff who may write add one (dates dd/MM/yyyy, income in
 * dong, paid every 1, 3, 6 or 12 months) or delete one. The server checks the rules (income between the
 * rural poverty line and 20 x the base salary, both named) and its field errors show next to the field.
 */
import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { splitErrors } from '../errors';
import { formatDate, formatVnd, parseVnd } from '../format';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { DayInput, DeleteConfirm, FormButtons, parseDayMonthYear } from './HouseholdBits';
import { today } from './RegisterBits';
import { type Member, type VsiPeriod, registerApi } from './registerApi';

const FIELDS = ['validFrom', 'validTo', 'monthlyIncome', 'paymentMonths'] as const;
const PAYMENT_MONTHS = [1, 3, 6, 12] as const;

const newestFirst = (periods: VsiPeriod[]) => [...periods].sort((a, b) => b.validFrom.localeCompare(a.validFrom));

export function VsiPeriods({ member, canEdit, onChanged }: { member: Member; canEdit: boolean; onChanged: (message: string) => void }) {
  const { t } = useTranslation('web');
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const periods = newestFirst(member.vsiPeriods);
  const day = today();
  const columns = canEdit ? 6 : 5;
  return (
    <div className="card-history vsi-periods" role="region" aria-label={t('register.vsi.title')} data-testid={`member-vsi-${member.id}`}>
      <h4>{t('register.vsi.title')}</h4>
      {periods.length === 0 ? (
        <p className="muted small">{t('register.vsi.none')}</p>
      ) : (
        <DataTable
          className="cards-table"
          wrap={false}
          columns={[
            t('register.vsi.from'),
            t('register.vsi.to'),
            t('register.vsi.income'),
            t('register.vsi.months'),
            t('register.household.cardSource'),
            ...(canEdit ? [{ label: t('register.personForm.actions'), hidden: true }] : []),
          ]}
        >
          {periods.map((p) => (
            <Fragment key={p.id}>
              <tr data-testid={`vsi-row-${p.id}`} className={p.validFrom <= day && day <= p.validTo ? 'is-current' : undefined}>
                <td data-label={t('register.vsi.from')} className="nowrap">
                  {formatDate(p.validFrom)}
                </td>
                <td data-label={t('register.vsi.to')} className="nowrap">
                  {formatDate(p.validTo)}
                </td>
                <td data-label={t('register.vsi.income')} className="nowrap num">
                  {formatVnd(p.monthlyIncome)}
                </td>
                <td data-label={t('register.vsi.months')}>{t('register.vsi.monthsOption', { count: p.paymentMonths })}</td>
                <td data-label={t('register.household.cardSource')}>
                  <span className={`pill pill-source pill-source-${p.source}`}>{t(`register.source.${p.source}`, { defaultValue: p.source })}</span>
                </td>
                {canEdit && (
                  <td className="actions-cell">
                    <button
                      type="button"
                      className="btn btn-danger-ghost btn-small"
                      data-testid={`vsi-delete-${p.id}`}
                      onClick={() => setDeleting(deleting === p.id ? null : p.id)}
                    >
                      {t('register.vsi.delete')}
                    </button>
                  </td>
                )}
              </tr>
              {canEdit && deleting === p.id && (
                <tr>
                  <td colSpan={columns}>
                    <DeleteConfirm
                      testId="vsi-delete-confirm"
                      text={t('register.vsi.confirmDelete', { from: formatDate(p.validFrom), to: formatDate(p.validTo) })}
                      confirmLabel={t('register.vsi.delete')}
                      action={() => registerApi.deleteVsiPeriod(p.id)}
                      onDone={(deleted) => {
                        setDeleting(null);
                        if (deleted) onChanged(t('register.vsi.deleted'));
                      }}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </DataTable>
      )}
      {canEdit &&
        (adding ? (
          <VsiPeriodForm
            member={member}
            onDone={(saved) => {
              setAdding(false);
              if (saved) onChanged(t('register.vsi.saved', { name: member.fullName }));
            }}
          />
        ) : (
          <button type="button" className="btn btn-secondary btn-small add-card-open" data-testid={`member-add-vsi-${member.id}`} onClick={() => setAdding(true)}>
            + {t('register.vsi.add')}
          </button>
        ))}
    </div>
  );
}

function VsiPeriodForm({ member, onDone }: { member: Member; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation('web');
  const [validFrom, setValidFrom] = useState('');
  const [validTo, setValidTo] = useState('');
  const [income, setIncome] = useState('');
  const [months, setMonths] = useState(1);
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIELDS) });
  const prefix = `vsi-${member.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    const from = parseDayMonthYear(validFrom);
    const to = parseDayMonthYear(validTo);
    const monthlyIncome = parseVnd(income);
    const dateError = (text: string) => (text.trim() ? t('register.form.dateInvalid') : t('register.addCard.dateRequired'));
    if (!from) fields.validFrom = dateError(validFrom);
    if (!to) fields.validTo = dateError(validTo);
    else if (from && to < from) fields.validTo = t('register.addCard.toBeforeFrom');
    if (monthlyIncome === null || monthlyIncome <= 0) fields.monthlyIncome = t('register.vsi.incomeRequired');
    if (invalid(fields) || !from || !to || monthlyIncome === null) return;
    await send(async () => {
      await registerApi.addVsiPeriod({ personId: member.id, validFrom: from, validTo: to, monthlyIncome, paymentMonths: months });
      onDone(true);
    });
  }

  return (
    <form className="add-card" onSubmit={(e) => void submit(e)} noValidate data-testid={`add-vsi-form-${member.id}`}>
      <h3>{t('register.vsi.addTitle', { name: member.fullName })}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="card-form-grid">
        <Field id={`${prefix}-from`} label={t('register.vsi.from')} error={errors.fields.validFrom}>
          <DayInput id={`${prefix}-from`} testId="vsi-from" value={validFrom} error={errors.fields.validFrom} onChange={setValidFrom} />
        </Field>
        <Field id={`${prefix}-to`} label={t('register.vsi.to')} error={errors.fields.validTo}>
          <DayInput id={`${prefix}-to`} testId="vsi-to" value={validTo} error={errors.fields.validTo} onChange={setValidTo} />
        </Field>
        <TextField
          id={`${prefix}-income`}
          label={t('register.vsi.income')}
          error={errors.fields.monthlyIncome}
          testId="vsi-income"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={income}
          onChange={setIncome}
        />
        <Field id={`${prefix}-months`} label={t('register.vsi.months')} error={errors.fields.paymentMonths}>
          <select {...inputProps(`${prefix}-months`, errors.fields.paymentMonths)} data-testid="vsi-months" value={months} onChange={(e) => setMonths(Number(e.target.value))}>
            {PAYMENT_MONTHS.map((m) => (
              <option key={m} value={m}>
                {t('register.vsi.monthsOption', { count: m })}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <FormButtons busy={busy} testId="vsi" submitLabel={t('register.vsi.submit')} onCancel={() => onDone(false)} />
    </form>
  );
}
