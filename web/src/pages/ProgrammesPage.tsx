/**
 * Donation programmes (#/programmes): the programmes in the user's scope with status, deadline (overdue
 * flagged) and money raised, spent and left; and the form that creates one.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort, type User } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field, inputProps } from '../components/Field';
import { DayInput, parseDayMonthYear } from '../components/HouseholdBits';
import { OptionSelect } from '../components/OptionSelect';
import { errorMessage, NO_ERRORS, splitErrors, type FormErrors } from '../errors';
import { formatDate, formatVnd } from '../format';
import { href, navigate } from '../router';
import { PROGRAMME_STATUSES, programmesApi, type AreaKind, type Programme, type ProgrammeStatus, type SelectionMode } from '../programmes/programmesApi';
import { OverdueBadge, StatusPill } from '../programmes/ProgrammeBits';

export function ProgrammesPage({ user }: { user: User }) {
  const { t } = useTranslation('programmes');
  const [items, setItems] = useState<Programme[] | null>(null);
  const [status, setStatus] = useState<ProgrammeStatus | ''>('');
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const canCreate = user.role !== 'viewer';

  useEffect(() => {
    const controller = new AbortController();
    programmesApi
      .list({ status: status || undefined, q: q.trim() || undefined }, controller.signal)
      .then((r) => setItems(r.items))
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [status, q]);

  return (
    <div data-testid="programmes-page">
      <div className="card-head">
        <h1>{t('list.title')}</h1>
        {canCreate && !creating && (
          <button type="button" className="btn btn-primary" data-testid="programme-new" onClick={() => setCreating(true)}>
            {t('list.new')}
          </button>
        )}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {creating && <CreateProgrammeForm user={user} onCancel={() => setCreating(false)} />}

      <section className="card">
        <div className="form-grid form-grid-2">
          <Field id="programme-search" label={t('list.search')}>
            <input {...inputProps('programme-search')} data-testid="programme-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </Field>
          <Field id="programme-status-filter" label={t('list.status')}>
            <OptionSelect<ProgrammeStatus | ''>
              id="programme-status-filter"
              testId="programme-status-filter"
              value={status}
              options={['', ...PROGRAMME_STATUSES]}
              label={(s) => (s ? t(`status.${s}`) : t('list.all_statuses'))}
              onChange={setStatus}
            />
          </Field>
        </div>
        {items === null ? null : items.length === 0 ? (
          <p className="muted" data-testid="programmes-empty">
            {t('list.empty')}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="programmes-table">
              <thead>
                <tr>
                  <th>{t('list.name')}</th>
                  <th>{t('list.owner')}</th>
                  <th>{t('list.status')}</th>
                  <th>{t('list.deadline')}</th>
                  <th className="num">{t('list.raised')}</th>
                  <th className="num">{t('list.spent')}</th>
                  <th className="num">{t('list.left')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.id} className="clickable" data-testid="programme-row" onClick={() => navigate('programmes', p.id)}>
                    <td>
                      <a href={href('programmes', p.id)} onClick={(e) => e.stopPropagation()}>
                        {p.name}
                      </a>
                    </td>
                    <td>{p.ownerUnitName}</td>
                    <td>
                      <StatusPill status={p.status} />
                    </td>
                    <td>
                      {formatDate(p.deadline)} {p.overdue && <OverdueBadge />}
                    </td>
                    <td className="num">{formatVnd(p.balance.received)}</td>
                    <td className="num">{formatVnd(p.balance.awarded + p.balance.paid)}</td>
                    <td className="num">{formatVnd(p.balance.available)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

const FORM_FIELDS = ['name', 'ownerUnitCode', 'areaKind', 'areaCodes', 'areaNote', 'cardMonths', 'purchaseDate', 'deadline', 'handoverSeason', 'priorities'] as const;
const AREA_KINDS: readonly AreaKind[] = ['province', 'communes', 'area'];
const SELECTION_MODES: readonly SelectionMode[] = ['concentrate', 'spread'];

/** 'ethnic_minority=3, pupil=2' -> weights; 'storm_victim, pupil' -> tiers; '' -> nothing. */
export function parsePriorities(text: string): Record<string, number> | string[] | undefined {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  if (parts.every((p) => p.includes('='))) return Object.fromEntries(parts.map((p) => p.split('=').map((x) => x.trim())).map(([k, v]) => [k, Number(v.replace(',', '.'))]));
  return parts;
}

function CreateProgrammeForm({ user, onCancel }: { user: User; onCancel: () => void }) {
  const { t } = useTranslation('programmes');
  const [name, setName] = useState('');
  const [owner, setOwner] = useState(user.scopeCode ?? '15');
  const [areaKind, setAreaKind] = useState<AreaKind>(user.scopeCode && user.scopeCode.length > 2 ? 'communes' : 'province');
  const [areaCodes, setAreaCodes] = useState(user.scopeCode && user.scopeCode.length > 2 ? user.scopeCode : '');
  const [areaNote, setAreaNote] = useState('');
  const [months, setMonths] = useState('12');
  const [purchaseDate, setPurchaseDate] = useState('');
  const [deadline, setDeadline] = useState('');
  const [season, setSeason] = useState('');
  const [selectionMode, setSelectionMode] = useState<SelectionMode>('concentrate');
  const [priorities, setPriorities] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const submit = useCallback(
    async (e: FormEvent) => {
      e.preventDefault();
      setBusy(true);
      setErrors(NO_ERRORS);
      try {
        const parsed = parsePriorities(priorities);
        const created = await programmesApi.create({
          name,
          ownerUnitCode: owner.trim(),
          areaKind,
          areaCodes: areaCodes
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          areaNote: areaNote.trim() || null,
          cardMonths: Number(months),
          purchaseDate: parseDayMonthYear(purchaseDate) ?? purchaseDate,
          deadline: parseDayMonthYear(deadline) ?? deadline,
          handoverSeason: season.trim() || null,
          selectionMode,
          priorities: parsed,
          priorityMode: parsed === undefined ? undefined : Array.isArray(parsed) ? 'tiers' : 'weights',
        });
        navigate('programmes', created.id);
      } catch (err) {
        // the server names every bad field; a date not typed as dd/MM/yyyy gets that hint instead of its ISO message
        const found = splitErrors(err, FORM_FIELDS);
        for (const [field, text] of [['purchaseDate', purchaseDate], ['deadline', deadline]] as const)
          if (found.fields[field] && !parseDayMonthYear(text)) found.fields[field] = t('fields.day_format');
        setErrors(found);
      } finally {
        setBusy(false);
      }
    },
    [name, owner, areaKind, areaCodes, areaNote, months, purchaseDate, deadline, season, selectionMode, priorities, t],
  );

  const f = errors.fields;
  return (
    <section className="card" aria-labelledby="programme-create-title" data-testid="programme-create">
      <h2 id="programme-create-title">{t('form.title')}</h2>
      <ErrorBanner message={errors.banner} />
      <form onSubmit={submit} noValidate>
        <div className="form-grid form-grid-2">
          <Field id="programme-name" label={t('form.name')} error={f.name}>
            <input {...inputProps('programme-name', f.name)} data-testid="programme-name" type="text" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field id="programme-owner" label={t('form.owner')} error={f.ownerUnitCode}>
            <input {...inputProps('programme-owner', f.ownerUnitCode)} data-testid="programme-owner" type="text" inputMode="numeric" value={owner} onChange={(e) => setOwner(e.target.value)} />
          </Field>
          <Field id="programme-area-kind" label={t('form.area_kind')} error={f.areaKind}>
            <OptionSelect id="programme-area-kind" testId="programme-area-kind" value={areaKind} options={AREA_KINDS} label={(k) => t(`area_kind.${k}`)} onChange={setAreaKind} />
          </Field>
          <Field id="programme-area-codes" label={t('form.area_codes')} error={f.areaCodes} hint={t('form.area_codes_hint')}>
            <input
              {...inputProps('programme-area-codes', f.areaCodes, true)}
              data-testid="programme-area-codes"
              type="text"
              value={areaCodes}
              onChange={(e) => setAreaCodes(e.target.value)}
            />
          </Field>
          <Field id="programme-card-months" label={t('form.card_months')} error={f.cardMonths}>
            <input
              {...inputProps('programme-card-months', f.cardMonths)}
              data-testid="programme-card-months"
              type="number"
              min={1}
              max={12}
              value={months}
              onChange={(e) => setMonths(e.target.value)}
            />
          </Field>
          <Field id="programme-season" label={t('form.handover_season')} error={f.handoverSeason}>
            <input {...inputProps('programme-season', f.handoverSeason)} data-testid="programme-season" type="text" value={season} onChange={(e) => setSeason(e.target.value)} />
          </Field>
          <Field id="programme-purchase-date" label={t('form.purchase_date')} error={f.purchaseDate}>
            <DayInput id="programme-purchase-date" testId="programme-purchase-date" value={purchaseDate} error={f.purchaseDate} onChange={setPurchaseDate} />
          </Field>
          <Field id="programme-deadline" label={t('form.deadline')} error={f.deadline}>
            <DayInput id="programme-deadline" testId="programme-deadline" value={deadline} error={f.deadline} onChange={setDeadline} />
          </Field>
          <Field id="programme-selection-mode" label={t('form.selection_mode')}>
            <OptionSelect
              id="programme-selection-mode"
              testId="programme-selection-mode"
              value={selectionMode}
              options={SELECTION_MODES}
              label={(m) => t(`selection_mode.${m}`)}
              onChange={setSelectionMode}
            />
          </Field>
          <Field id="programme-priorities" label={t('form.priorities')} error={f.priorities} hint={t('form.priorities_hint')}>
            <input
              {...inputProps('programme-priorities', f.priorities, true)}
              data-testid="programme-priorities"
              type="text"
              value={priorities}
              onChange={(e) => setPriorities(e.target.value)}
            />
          </Field>
          <Field id="programme-area-note" label={t('form.area_note')} error={f.areaNote}>
            <input {...inputProps('programme-area-note', f.areaNote)} data-testid="programme-area-note" type="text" value={areaNote} onChange={(e) => setAreaNote(e.target.value)} />
          </Field>
        </div>
        <div className="btn-group">
          <button type="submit" className="btn btn-primary" data-testid="programme-submit" disabled={busy}>
            {t('form.create')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
