/**
 * One household at the door: each member who needs a card with the price for the rest of the card year and
 * who pays, and four big buttons for the outcome (enrolled, promised, refused, not at home) with what each
 * needs (product and receipt or card number; the day to come back; the reason). "Nobody home" logs the
 * whole household in one tap. Saving appends the visits to the phone's outbox (ids made here); the page
 * sends them when it can.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../errors';
import { formatDate, formatVnd, isoDateOf, parseDayMonthYear } from '../format';
import { navigate } from '../router';
import { fieldApi, OUTCOMES, REASONS, type DoorPerson, type Outcome, type Reason, type VisitInput } from './fieldApi';
import { fieldStore, type SessionInfo } from './fieldStore';
import { useDoorList } from './FieldGroup';
import { newClientId } from './clientId';
import { RELATIONSHIP_KEYS } from '../../../src/domain/register-row';

interface Draft {
  outcome: Outcome | null;
  product: 'household_bhyt' | 'other';
  receipt: string;
  card: string;
  reason: Reason | null;
  followUp: string;
}

const EMPTY: Draft = { outcome: null, product: 'household_bhyt', receipt: '', card: '', reason: null, followUp: '' };
const QUICK_DAYS = [1, 3, 7] as const;

const plusDays = (days: number) => formatDate(isoDateOf(new Date(Date.now() + days * 86_400_000)));

/** The visit the phone stores and sends, or the field that is not right yet. */
export function visitOf(
  base: { groupId: string; householdId: string; householdVersion: string; note: string; at: string },
  personId: string | null,
  d: Draft,
  today: string,
): { input: VisitInput } | { field: 'followUp' | 'reason'; key: string } {
  let followUp: string | null = null;
  if (d.followUp.trim()) {
    followUp = parseDayMonthYear(d.followUp);
    if (!followUp) return { field: 'followUp', key: 'bad_date' };
    if (followUp < today) return { field: 'followUp', key: 'follow_up_past' };
  }
  if (d.outcome === 'promised' && !followUp) return { field: 'followUp', key: 'follow_up_required' };
  if (d.outcome === 'refused' && !d.reason) return { field: 'reason', key: 'reason_required' };
  return {
    input: {
      clientId: newClientId(),
      groupId: base.groupId,
      householdId: base.householdId,
      personId,
      outcome: d.outcome!,
      product: d.outcome === 'enrolled' ? d.product : null,
      receiptNumber: d.outcome === 'enrolled' ? d.receipt.trim() || null : null,
      cardNumber: d.outcome === 'enrolled' || d.reason === 'insured_elsewhere' ? d.card.trim() || null : null,
      reason: d.outcome === 'refused' ? d.reason : null,
      followUp: d.outcome === 'promised' || d.outcome === 'not_home' ? followUp : null,
      note: base.note.trim() || null,
      visitedAt: base.at,
      householdVersion: base.householdVersion,
    },
  };
}

export function FieldHousehold({ session, groupId, householdId, online, onQueued }: { session: SessionInfo; groupId: string; householdId: string; online: boolean; onQueued: () => void }) {
  const { t } = useTranslation('field');
  const { list } = useDoorList(session, groupId, false);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const household = list?.list.households.find((h) => h.id === householdId);
  if (!list) return <p className="muted">{t('loading')}</p>;
  if (!household) return <p className="field-error">{t('household_missing')}</p>;

  const draft = (id: string) => drafts[id] ?? EMPTY;
  const change = (id: string, patch: Partial<Draft>) => setDrafts((d) => ({ ...d, [id]: { ...(d[id] ?? EMPTY), ...patch } }));
  const chosen = household.members.filter((m) => draft(m.id).outcome);

  async function save(nobodyHome: boolean) {
    const today = isoDateOf(new Date());
    const base = { groupId, householdId: household!.id, householdVersion: household!.version, note, at: new Date().toISOString() };
    const inputs: VisitInput[] = [];
    const found: Record<string, string> = {};
    if (nobodyHome) {
      const v = visitOf(base, null, { ...EMPTY, outcome: 'not_home', followUp: drafts.household?.followUp ?? '' }, today);
      if ('input' in v) inputs.push(v.input);
      else found[`household.${v.field}`] = t(v.key);
    } else {
      for (const m of chosen) {
        const v = visitOf(base, m.id, draft(m.id), today);
        if ('input' in v) inputs.push(v.input);
        else found[`${m.id}.${v.field}`] = t(v.key);
      }
    }
    setErrors(found);
    if (Object.keys(found).length || inputs.length === 0) return;
    setBusy(true);
    try {
      for (const input of inputs) await fieldStore.queue(session.userId, input);
      onQueued();
      navigate('g', groupId);
    } catch (err) {
      setErrors({ save: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p>
        <a href={`#/g/${groupId}`} className="field-link">
          ‹ {list.list.group.name}
        </a>
      </p>
      <h1 data-testid="field-household-title">
        {t('household')} {household.code}
      </h1>
      <p className="muted small">
        {[household.villageName, household.address].filter(Boolean).join(' · ')}
        {household.payable > 0 && <> · {t('household_pays', { amount: formatVnd(household.payable) })}</>}
      </p>
      <button type="button" className="field-btn field-btn-block" disabled={busy} onClick={() => void save(true)} data-testid="nobody-home">
        {t('nobody_home')}
      </button>
      {errors['household.followUp'] && <p className="field-error">{errors['household.followUp']}</p>}
      <ul className="field-members">
        {household.members.map((m) => (
          <Member key={m.id} person={m} groupId={groupId} online={online} draft={draft(m.id)} errors={errors} onChange={(p) => change(m.id, p)} />
        ))}
      </ul>
      <label htmlFor="visit-note">{t('note')}</label>
      <textarea id="visit-note" className="field-input" rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="visit-note" />
      {errors.save && <p className="field-error">{errors.save}</p>}
      <button type="button" className="field-btn field-btn-primary field-btn-block" disabled={busy || chosen.length === 0} onClick={() => void save(false)} data-testid="visit-save">
        {t('save_visits', { count: chosen.length })}
      </button>
    </>
  );
}

function Member({
  person: m,
  groupId,
  online,
  draft: d,
  errors,
  onChange,
}: {
  person: DoorPerson;
  groupId: string;
  online: boolean;
  draft: Draft;
  errors: Record<string, string>;
  onChange: (patch: Partial<Draft>) => void;
}) {
  const { t } = useTranslation('field');
  const [nominated, setNominated] = useState<string | null>(null);
  const id = m.id;
  const nominate = async (programmeId: string) => {
    try {
      await fieldApi.nominate(groupId, { programmeId, personId: m.id });
      setNominated(t('nominated'));
    } catch (err) {
      setNominated(errorMessage(err));
    }
  };
  return (
    <li className="field-member" data-testid={`member-${m.citizenIdLast4 ?? m.id}`}>
      <div className="field-member-head">
        <strong>{m.fullName}</strong>
        <span className="muted small">
          {formatDate(m.birthDate)}
          {m.relationship ? ` · ${RELATIONSHIP_KEYS[m.relationship] ? t(`web:register.relationship.${RELATIONSHIP_KEYS[m.relationship]}`) : m.relationship}` : ''}
          {m.citizenIdLast4 ? ` · …${m.citizenIdLast4}` : ''}
        </span>
        <span className={`field-badge status-${m.status}`}>
          {t(`status.${m.status}`)}
          {m.cardTo ? ` ${formatDate(m.cardTo)}` : ''}
        </span>
        {m.price &&
          (m.price.statePaysInFull ? (
            <span className="small field-state-pays">{t('state_pays_in_full')}</span>
          ) : (
            <span className="small">{t('price_line', { amount: formatVnd(m.price.payable), months: m.price.months, order: m.price.order ?? '–' })}</span>
          ))}
        {m.priceError && <span className="small muted">{m.priceError}</span>}
        {m.lastVisit && <span className="small muted">{t('last_visit', { outcome: t(`outcome_done.${m.lastVisit.outcome}`), when: formatDate(m.lastVisit.visitedAt) })}</span>}
      </div>
      {m.needsCard && (
        <>
          <div className="field-outcomes" role="group" aria-label={t('outcome_for', { name: m.fullName })}>
            {OUTCOMES.map((o) => (
              <button
                key={o}
                type="button"
                className={`field-btn field-outcome${d.outcome === o ? ' is-chosen' : ''}`}
                aria-pressed={d.outcome === o}
                onClick={() => onChange({ outcome: d.outcome === o ? null : o })}
                data-testid={`outcome-${id}-${o}`}
              >
                {t(`outcome.${o}`)}
              </button>
            ))}
          </div>
          {d.outcome === 'enrolled' && (
            <div className="field-details">
              <label htmlFor={`product-${id}`}>{t('product')}</label>
              <select id={`product-${id}`} className="field-input" value={d.product} onChange={(e) => onChange({ product: e.target.value as Draft['product'] })}>
                <option value="household_bhyt">{t('products.household_bhyt')}</option>
                <option value="other">{t('products.other')}</option>
              </select>
              <label htmlFor={`receipt-${id}`}>{t('receipt')}</label>
              <input id={`receipt-${id}`} className="field-input" value={d.receipt} maxLength={40} onChange={(e) => onChange({ receipt: e.target.value })} />
              <label htmlFor={`card-${id}`}>{t('card_number')}</label>
              <input id={`card-${id}`} className="field-input" value={d.card} maxLength={40} onChange={(e) => onChange({ card: e.target.value })} />
            </div>
          )}
          {(d.outcome === 'promised' || d.outcome === 'not_home') && (
            <div className="field-details">
              <label htmlFor={`follow-${id}`}>{t(d.outcome === 'promised' ? 'follow_up_promised' : 'follow_up_again')}</label>
              <div className="field-quick">
                {QUICK_DAYS.map((n) => (
                  <button key={n} type="button" className="field-btn field-btn-small" onClick={() => onChange({ followUp: plusDays(n) })} data-testid={`follow-${id}-${n}`}>
                    {t('in_days', { count: n })}
                  </button>
                ))}
              </div>
              <input
                id={`follow-${id}`}
                className="field-input"
                inputMode="numeric"
                placeholder="dd/mm/yyyy"
                value={d.followUp}
                onChange={(e) => onChange({ followUp: e.target.value })}
                aria-invalid={errors[`${id}.followUp`] ? true : undefined}
                data-testid={`follow-${id}`}
              />
              {errors[`${id}.followUp`] && <p className="field-error">{errors[`${id}.followUp`]}</p>}
            </div>
          )}
          {d.outcome === 'refused' && (
            <div className="field-details">
              <div className="field-reasons" role="group" aria-label={t('reason')}>
                {REASONS.map((r) => (
                  <button
                    key={r}
                    type="button"
                    className={`field-btn field-btn-small${d.reason === r ? ' is-chosen' : ''}`}
                    aria-pressed={d.reason === r}
                    onClick={() => onChange({ reason: r })}
                    data-testid={`reason-${id}-${r}`}
                  >
                    {t(`reasons.${r}`)}
                  </button>
                ))}
              </div>
              {d.reason === 'insured_elsewhere' && (
                <>
                  <label htmlFor={`card-${id}`}>{t('other_card')}</label>
                  <input id={`card-${id}`} className="field-input" value={d.card} maxLength={40} onChange={(e) => onChange({ card: e.target.value })} />
                </>
              )}
              {errors[`${id}.reason`] && <p className="field-error">{errors[`${id}.reason`]}</p>}
            </div>
          )}
          {online &&
            m.programmes
              .filter((p) => !p.nominated)
              .map((p) => (
                <button key={p.id} type="button" className="field-btn field-btn-small" onClick={() => void nominate(p.id)}>
                  {t('nominate', { name: p.name })}
                </button>
              ))}
          {nominated && <p className="small">{nominated}</p>}
        </>
      )}
    </li>
  );
}
