/**
 * One household of the register: its header (code, address, village, commune, poverty status) and its
 * members, each expandable to the card history (newest first) with a form to add a card.
 */
import { Fragment, useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isAbort, type Card, type HouseholdDetail, type Member, type PremiumGroup, type User } from '../api';
import { ErrorBanner, Notice } from '../components/ErrorBanner';
import { Field, inputProps } from '../components/Field';
import { CardBadge, GroupCodes, isMissingRoute, today, usePremiumGroups, useSexLabel } from '../components/RegisterBits';
import { groupLabel } from '../components/RuleBits';
import { NO_ERRORS, errorMessage, splitErrors, type FormErrors } from '../errors';
import { formatDate, isIsoDate } from '../format';
import { href } from '../router';

/** Newest first: by start date, then end date. */
function newestFirst(cards: Card[]): Card[] {
  return [...cards].sort((a, b) => b.validFrom.localeCompare(a.validFrom) || b.validTo.localeCompare(a.validTo));
}

/** The member's card status today: covered by a card in force, else the last card's end. */
function cardStatus(cards: Card[]): { covered: boolean; cardTo: string | null } {
  const day = today();
  const current = cards.filter((c) => c.validFrom <= day && day <= c.validTo).sort((a, b) => b.validTo.localeCompare(a.validTo))[0];
  if (current) return { covered: true, cardTo: current.validTo };
  const past = cards.filter((c) => c.validTo < day).sort((a, b) => b.validTo.localeCompare(a.validTo))[0];
  return { covered: false, cardTo: past?.validTo ?? null };
}

export function HouseholdPage({ user, id }: { user: User; id: string }) {
  const { t } = useTranslation('web');
  const [data, setData] = useState<HouseholdDetail | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [reloadKey, setReloadKey] = useState(0);
  const groups = usePremiumGroups();
  const sexLabel = useSexLabel();
  const canEdit = user.role !== 'viewer';

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .household(id, controller.signal)
      .then((result) => {
        setData(result);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setData(null);
        setError(isMissingRoute(err) ? t('register.search.notReady') : errorMessage(err));
      });
    return () => controller.abort();
  }, [id, reloadKey, t]);

  const toggle = useCallback((memberId: string) => {
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(memberId)) next.delete(memberId);
      else next.add(memberId);
      return next;
    });
  }, []);

  const household = data?.household;
  const members = data?.members ?? [];

  return (
    <div className="page household-page">
      <p className="breadcrumb-back">
        <a href={href('register')}>{t('register.household.back')}</a>
      </p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      {loading && !data && <p className="muted">{t('common.loading')}</p>}

      {household && (
        <section className="card household-header" data-testid="household-header">
          <div className="card-head">
            <div>
              <h1>{t('register.household.title', { code: household.code })}</h1>
              <p className="muted small">
                {[household.villageName, household.communeName].filter(Boolean).join(', ')}
              </p>
            </div>
            {household.povertyStatus && household.povertyStatus !== 'none' && (
              <span className={`pill pill-poverty pill-${household.povertyStatus}`}>
                {t(`register.poverty.${household.povertyStatus}`)}
              </span>
            )}
          </div>
          <dl className="facts">
            <div>
              <dt>{t('register.household.code')}</dt>
              <dd className="mono">{household.code}</dd>
            </div>
            <div>
              <dt>{t('register.household.address')}</dt>
              <dd>{household.address || '—'}</dd>
            </div>
            <div>
              <dt>{t('register.household.village')}</dt>
              <dd>{household.villageName || '—'}</dd>
            </div>
            <div>
              <dt>{t('register.household.commune')}</dt>
              <dd>
                {household.communeName} <span className="code">{household.communeCode}</span>
              </dd>
            </div>
            <div className="facts-wide">
              <dt>{t('register.household.poverty')}</dt>
              <dd data-testid="household-poverty">
                {t(`register.poverty.${household.povertyStatus ?? 'none'}`, { defaultValue: household.povertyStatus ?? '—' })}
                {household.povertyYear && household.povertyStatus && household.povertyStatus !== 'none' && (
                  <span className="muted"> ({t('register.household.povertyYear', { year: household.povertyYear })})</span>
                )}
              </dd>
            </div>
          </dl>
        </section>
      )}

      {household && (
        <section className="card">
          <h2>{t('register.household.members', { count: members.length })}</h2>
          {members.length === 0 ? (
            <p className="empty">{t('register.household.noMembers')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table members-table" data-testid="household-members">
                <thead>
                  <tr>
                    <th scope="col">{t('register.col.name')}</th>
                    <th scope="col">{t('register.col.birthDate')}</th>
                    <th scope="col">{t('register.col.sex')}</th>
                    <th scope="col">{t('register.col.ids')}</th>
                    <th scope="col">{t('register.col.groups')}</th>
                    <th scope="col">{t('register.col.card')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('register.household.cardSource')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((m) => {
                    const expanded = open.has(m.id);
                    const status = cardStatus(m.cards);
                    return (
                      <Fragment key={m.id}>
                        <tr data-testid={`member-row-${m.id}`} className={expanded ? 'is-expanded' : undefined}>
                          <td data-label={t('register.col.name')}>
                            <strong>{m.fullName}</strong>
                            {m.relationship && <span className="muted small block">{m.relationship === 'head' ? t('register.relationshipHead') : m.relationship}</span>}
                            {(m.ethnicity || m.phone) && (
                              <span className="muted small block">{[m.ethnicity, m.phone].filter(Boolean).join(' · ')}</span>
                            )}
                          </td>
                          <td data-label={t('register.col.birthDate')} className="nowrap">
                            {formatDate(m.birthDate) || '—'}
                          </td>
                          <td data-label={t('register.col.sex')}>{sexLabel(m.sex)}</td>
                          <td data-label={t('register.col.ids')}>
                            {m.citizenId || m.insuranceCode ? (
                              <>
                                {m.citizenId && <span className="block mono">{m.citizenId}</span>}
                                {m.insuranceCode && <span className="block mono muted">{m.insuranceCode}</span>}
                              </>
                            ) : (
                              <span className="muted">—</span>
                            )}
                          </td>
                          <td data-label={t('register.col.groups')}>
                            <GroupCodes codes={m.groupCodes} groups={groups} />
                          </td>
                          <td data-label={t('register.col.card')}>
                            <CardBadge covered={status.covered} cardTo={status.cardTo} />
                          </td>
                          <td className="actions-cell">
                            <button
                              type="button"
                              className="btn btn-link"
                              data-testid={`member-toggle-${m.id}`}
                              aria-expanded={expanded}
                              aria-controls={`member-cards-${m.id}`}
                              onClick={() => toggle(m.id)}
                            >
                              {expanded ? t('register.household.hideCards') : t('register.household.showCards', { count: m.cards.length })}
                            </button>
                          </td>
                        </tr>
                        {expanded && (
                          <tr className="expand-row">
                            <td colSpan={7} id={`member-cards-${m.id}`} data-testid={`member-cards-${m.id}`}>
                              <CardHistory
                                member={m}
                                householdId={household.id}
                                groups={groups}
                                canEdit={canEdit}
                                onAdded={() => {
                                  setNotice(t('register.addCard.saved', { name: m.fullName }));
                                  setReloadKey((k) => k + 1);
                                }}
                              />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function CardHistory({
  member,
  householdId,
  groups,
  canEdit,
  onAdded,
}: {
  member: Member;
  householdId: string;
  groups: PremiumGroup[];
  canEdit: boolean;
  onAdded: () => void;
}) {
  const { t } = useTranslation('web');
  const [adding, setAdding] = useState(false);
  const cards = newestFirst(member.cards);
  const day = today();
  return (
    <div className="card-history" aria-label={t('register.household.showCardsAria', { name: member.fullName })} role="region">
      {cards.length === 0 ? (
        <p className="muted small">{t('register.household.noCards')}</p>
      ) : (
        <table className="table cards-table">
          <thead>
            <tr>
              <th scope="col">{t('register.household.cardGroup')}</th>
              <th scope="col">{t('register.household.cardFrom')}</th>
              <th scope="col">{t('register.household.cardTo')}</th>
              <th scope="col">{t('register.household.cardNumber')}</th>
              <th scope="col">{t('register.household.cardSource')}</th>
            </tr>
          </thead>
          <tbody>
            {cards.map((c) => {
              const current = c.validFrom <= day && day <= c.validTo;
              return (
                <tr key={c.id} data-testid={`card-row-${c.id}`} className={current ? 'is-current' : undefined}>
                  <td data-label={t('register.household.cardGroup')}>
                    <GroupCodes codes={[c.groupCode]} groups={groups} />
                  </td>
                  <td data-label={t('register.household.cardFrom')} className="nowrap">
                    {formatDate(c.validFrom)}
                  </td>
                  <td data-label={t('register.household.cardTo')} className="nowrap">
                    {formatDate(c.validTo)}
                  </td>
                  <td data-label={t('register.household.cardNumber')}>
                    {c.number ? <span className="mono">{c.number}</span> : <span className="muted">—</span>}
                  </td>
                  <td data-label={t('register.household.cardSource')}>
                    <span className={`pill pill-source pill-source-${c.source}`}>
                      {t(`register.source.${c.source}`, { defaultValue: c.source })}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {canEdit &&
        (adding ? (
          <AddCardForm
            member={member}
            householdId={householdId}
            groups={groups}
            onDone={(saved) => {
              setAdding(false);
              if (saved) onAdded();
            }}
          />
        ) : (
          <button
            type="button"
            className="btn btn-secondary btn-small add-card-open"
            data-testid={`member-add-card-${member.id}`}
            onClick={() => setAdding(true)}
          >
            + {t('register.addCard.open')}
          </button>
        ))}
    </div>
  );
}

const CARD_FIELDS = ['groupCode', 'validFrom', 'validTo', 'number'] as const;

function AddCardForm({
  member,
  householdId,
  groups,
  onDone,
}: {
  member: Member;
  householdId: string;
  groups: PremiumGroup[];
  onDone: (saved: boolean) => void;
}) {
  const { t, i18n } = useTranslation('web');
  const [groupCode, setGroupCode] = useState(member.groupCodes[0] ?? '');
  const [validFrom, setValidFrom] = useState('');
  const [validTo, setValidTo] = useState('');
  const [number, setNumber] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const prefix = `card-${member.id}`;

  // the member's own groups first, then the others
  const options = [...groups].sort(
    (a, b) => Number(member.groupCodes.includes(b.code)) - Number(member.groupCodes.includes(a.code)),
  );
  if (groupCode && !options.some((g) => g.code === groupCode)) {
    options.unshift({ code: groupCode, nameVi: groupCode, nameEn: groupCode } as PremiumGroup);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!groupCode) fields.groupCode = t('register.addCard.groupRequired');
    if (!isIsoDate(validFrom)) fields.validFrom = t('register.addCard.dateRequired');
    if (!isIsoDate(validTo)) fields.validTo = t('register.addCard.dateRequired');
    else if (isIsoDate(validFrom) && validTo < validFrom) fields.validTo = t('register.addCard.toBeforeFrom');
    if (Object.keys(fields).length) {
      setErrors({ fields, banner: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.addCard({
        personId: member.id,
        householdId,
        groupCode,
        validFrom,
        validTo,
        ...(number.trim() ? { number: number.trim() } : {}),
      });
      onDone(true);
    } catch (err) {
      setBusy(false);
      if (isMissingRoute(err)) {
        setErrors({ fields: {}, banner: t('register.addCard.notAvailable') });
        return;
      }
      const split = splitErrors(err, CARD_FIELDS);
      setErrors({ fields: split.fields, banner: split.banner ?? (Object.keys(split.fields).length ? null : errorMessage(err)) });
    }
  }

  return (
    <form className="add-card" onSubmit={(e) => void submit(e)} noValidate data-testid={`add-card-form-${member.id}`}>
      <h3>{t('register.addCard.title', { name: member.fullName })}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="card-form-grid">
        <Field id={`${prefix}-group`} label={t('register.addCard.group')} error={errors.fields.groupCode}>
          <select
            {...inputProps(`${prefix}-group`, errors.fields.groupCode)}
            data-testid="card-group"
            value={groupCode}
            onChange={(e) => setGroupCode(e.target.value)}
          >
            <option value="">{t('register.addCard.groupPick')}</option>
            {options.map((g) => (
              <option key={g.code} value={g.code}>
                {groupLabel(g, i18n.language)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${prefix}-from`} label={t('register.addCard.from')} error={errors.fields.validFrom}>
          <input
            {...inputProps(`${prefix}-from`, errors.fields.validFrom)}
            data-testid="card-from"
            type="date"
            value={validFrom}
            onChange={(e) => setValidFrom(e.target.value)}
          />
        </Field>
        <Field id={`${prefix}-to`} label={t('register.addCard.to')} error={errors.fields.validTo}>
          <input
            {...inputProps(`${prefix}-to`, errors.fields.validTo)}
            data-testid="card-to"
            type="date"
            value={validTo}
            onChange={(e) => setValidTo(e.target.value)}
          />
        </Field>
        <Field id={`${prefix}-number`} label={t('register.addCard.number')} error={errors.fields.number}>
          <input
            {...inputProps(`${prefix}-number`, errors.fields.number)}
            data-testid="card-number"
            type="text"
            autoComplete="off"
            maxLength={30}
            value={number}
            onChange={(e) => setNumber(e.target.value)}
          />
        </Field>
      </div>
      <div className="btn-group">
        <button type="submit" className="btn btn-primary btn-small" data-testid="card-submit" disabled={busy}>
          {busy ? t('common.saving') : t('register.addCard.submit')}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
