/** Creates or changes a social insurance office: code, name, kind, and the communes it serves (ticked by name). */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { mapErrors } from '../errors';
import { foldText } from '../format';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, TextField } from '../ui/Field';
import { OptionSelect } from '../ui/OptionSelect';
import { useFormSubmit } from '../ui/useFormSubmit';
import type { Unit } from '../units/unitsApi';
import { OFFICE_KINDS, officesApi, type Office, type OfficeKind } from './officesApi';

const FIELDS = ['code', 'name', 'kind', 'parentCode', 'communes'] as const;

export function OfficeForm({
  office,
  province,
  provincial,
  communes,
  servedBy,
  onCancel,
  onSaved,
}: {
  office: Office | null;
  province: string;
  provincial: Office | null;
  communes: Unit[];
  /** commune code -> the office now serving it */
  servedBy: Map<string, string>;
  onCancel: () => void;
  onSaved: (o: Office) => void;
}) {
  const { t } = useTranslation('web');
  const [code, setCode] = useState(office?.code ?? '');
  const [name, setName] = useState(office?.name ?? '');
  const [kind, setKind] = useState<OfficeKind>(office?.kind ?? (provincial ? 'si_grassroots' : 'si_province'));
  const [chosen, setChosen] = useState<Set<string>>(new Set(office?.communes.map((c) => c.code) ?? []));
  const [filter, setFilter] = useState('');
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => mapErrors(err, (parts) => (parts.length === 1 && (FIELDS as readonly string[]).includes(parts[0]) ? parts[0] : null)) });

  const shown = communes.filter((c) => !filter.trim() || foldText(c.name).includes(foldText(filter)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    await send(async () => {
      const list = [...chosen].sort();
      const saved = office
        ? await officesApi.updateOffice(office.code, { name, communes: list })
        : await officesApi.createOffice({ code, name, kind, parentCode: kind === 'si_province' ? province : (provincial?.code ?? ''), communes: list });
      onSaved(saved);
    });
  }

  return (
    <form className="card" onSubmit={submit} data-testid="office-form" noValidate>
      <h2>{office ? t('offices.editTitle', { name: office.name }) : t('offices.newTitle')}</h2>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-2">
        <TextField id="office-code" label={t('offices.code')} hint={t('offices.codeHint')} value={code} onChange={setCode} error={errors.fields.code} disabled={!!office} required />
        <TextField id="office-name" label={t('offices.name')} value={name} onChange={setName} error={errors.fields.name} required />
        {!office && (
          <Field id="office-kind" label={t('offices.kind')} error={errors.fields.kind ?? errors.fields.parentCode}>
            <OptionSelect<OfficeKind> id="office-kind" testId="office-kind" value={kind} options={OFFICE_KINDS} label={(k) => t(`offices.kinds.${k}`)} onChange={setKind} />
          </Field>
        )}
      </div>
      <fieldset className="checkbox-fieldset">
        <legend>{t('offices.communes', { count: chosen.size })}</legend>
        <input type="search" className="checkbox-filter" data-testid="office-commune-filter" placeholder={t('offices.filter')} aria-label={t('offices.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        {errors.fields.communes && <p className="field-error">{errors.fields.communes}</p>}
        <div className="checkbox-list" data-testid="office-communes">
          {shown.map((c) => {
            const other = servedBy.get(c.code);
            const taken = !!other && !office?.communes.some((x) => x.code === c.code);
            return (
              <label key={c.code} className={taken ? 'muted' : undefined}>
                <input
                  type="checkbox"
                  data-testid={`office-commune-${c.code}`}
                  checked={chosen.has(c.code)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(c.code);
                    else next.delete(c.code);
                    setChosen(next);
                  }}
                />{' '}
                {c.name}
                {taken && <span className="muted"> ({other})</span>}
              </label>
            );
          })}
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="office-save" disabled={busy}>
          {t('common.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
