/**
 * One household of the register: its header (code, address, village, commune, poverty status) and its
 * members, each expandable to the card history (newest first) and the voluntary social insurance periods
 * under it (VsiPeriods.tsx). Staff who may write (every role but
 * 'viewer') edit or delete the household, add, edit and remove members, and add, correct and delete cards.
 */
import { Fragment, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { type PremiumGroup } from '../premium/premiumApi';
import { type Card, type HouseholdDetail, type Member, registerApi } from './registerApi';
import { CardEditForm, type CardPlace } from './CardEditForm';
import { VsiPeriods } from './VsiPeriods';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { DeleteConfirm, setPendingNotice, usePendingNotice } from './HouseholdBits';
import { HouseholdForm } from './HouseholdForm';
import { PersonForm, useRelationshipLabel } from './PersonForm';
import { CardBadge, GroupCodes, isMissingRoute, today, usePremiumGroups, useSexLabel } from './RegisterBits';
import { errorMessage } from '../errors';
import { formatDate } from '../format';
import { href, navigate } from '../router';
import { DataTable } from '../ui/DataTable';

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
  const [notice, setNotice] = usePendingNotice();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [reloadKey, setReloadKey] = useState(0);
  /** What the household header shows: its facts, the edit form, or the delete confirmation. */
  const [headerMode, setHeaderMode] = useState<'view' | 'edit' | 'delete'>('view');
  /** A member being edited or removed. */
  const [memberAction, setMemberAction] = useState<{ id: string; kind: 'edit' | 'delete' } | null>(null);
  const [adding, setAdding] = useState(false);
  const groups = usePremiumGroups();
  const sexLabel = useSexLabel();
  const relationshipLabel = useRelationshipLabel();
  // the server refuses every change from a viewer: no edit buttons for them
  const canEdit = user.role !== 'viewer';

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    registerApi
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

  /** After a change: show what happened and load the household again. */
  const changed = useCallback((message: string) => {
    setError(null);
    setNotice(message);
    setReloadKey((k) => k + 1);
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

      {household && headerMode === 'edit' && (
        <section className="card household-header" data-testid="household-header">
          <HouseholdForm
            user={user}
            household={household}
            onDone={(saved) => {
              setHeaderMode('view');
              if (saved) changed(t('register.householdForm.saved', { code: saved.code }));
            }}
          />
        </section>
      )}

      {household && headerMode !== 'edit' && (
        <section className="card household-header" data-testid="household-header">
          <div className="card-head">
            <div>
              <h1>{t('register.household.title', { code: household.code })}</h1>
              <p className="muted small">
                {[household.villageName, household.communeName].filter(Boolean).join(', ')}
              </p>
            </div>
            <div className="row-actions">
              {household.povertyStatus && household.povertyStatus !== 'none' && (
                <span className={`pill pill-poverty pill-${household.povertyStatus}`}>
                  {t(`register.poverty.${household.povertyStatus}`)}
                </span>
              )}
              {canEdit && headerMode === 'view' && (
                <>
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    data-testid="household-edit"
                    onClick={() => setHeaderMode('edit')}
                  >
                    {t('register.householdForm.edit')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-danger-ghost btn-small"
                    data-testid="household-delete"
                    onClick={() => setHeaderMode('delete')}
                  >
                    {t('register.householdForm.delete')}
                  </button>
                </>
              )}
            </div>
          </div>
          <dl className="facts">
            <div>
              <dt>{t('register.household.code')}</dt>
              <dd className="mono">{household.code}</dd>
            </div>
            <div>
              <dt>{t('register.household.address')}</dt>
              <dd data-testid="household-address-value">{household.address || '—'}</dd>
            </div>
            <div>
              <dt>{t('register.household.village')}</dt>
              <dd data-testid="household-village-value">{household.villageName || '—'}</dd>
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
                {household.povertyStatus && household.povertyStatus !== 'none'
                  ? t(`register.poverty.${household.povertyStatus}`, { defaultValue: household.povertyStatus })
                  : t('register.householdForm.povertyNone')}
                {household.povertyYear && household.povertyStatus && household.povertyStatus !== 'none' && (
                  <span className="muted"> ({t('register.household.povertyYear', { year: household.povertyYear })})</span>
                )}
              </dd>
            </div>
          </dl>
          {canEdit && headerMode === 'delete' && (
            <div className="add-card">
              {members.length > 0 ? (
                <div className="row-actions confirm" role="group" data-testid="household-delete-blocked">
                  <span className="confirm-text">
                    {t('register.householdForm.deleteBlocked', { code: household.code, count: members.length })}
                  </span>
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => setHeaderMode('view')}>
                    {t('common.cancel')}
                  </button>
                </div>
              ) : (
                <DeleteConfirm
                  testId="household-delete-confirm"
                  text={t('register.householdForm.confirmDelete', {
                    code: household.code,
                    place: [household.address, household.villageName, household.communeName].filter(Boolean).join(', '),
                  })}
                  confirmLabel={t('register.householdForm.deleteYes')}
                  action={() => registerApi.deleteHousehold(household.id)}
                  onDone={(deleted) => {
                    if (!deleted) {
                      setHeaderMode('view');
                      return;
                    }
                    setPendingNotice(t('register.householdForm.deleted', { code: household.code }));
                    navigate('register');
                  }}
                />
              )}
            </div>
          )}
        </section>
      )}

      {household && (
        <section className="card">
          <div className="card-head">
            <h2>{t('register.household.members', { count: members.length })}</h2>
            {canEdit && !adding && (
              <button
                type="button"
                className="btn btn-secondary btn-small"
                data-testid="member-add"
                onClick={() => {
                  setMemberAction(null);
                  setAdding(true);
                }}
              >
                + {t('register.personForm.open')}
              </button>
            )}
          </div>
          {members.length === 0 ? (
            <p className="empty">{t('register.household.noMembers')}</p>
          ) : (
            <DataTable
              testId="household-members"
              className="members-table"
              columns={[
                t('register.col.name'),
                t('register.col.birthDate'),
                t('register.col.sex'),
                t('register.col.ids'),
                t('register.col.groups'),
                t('register.col.card'),
                { label: t('register.personForm.actions'), hidden: true },
              ]}
            >
              {members.map((m) => {
                const expanded = open.has(m.id);
                const status = cardStatus(m.cards);
                const action = memberAction?.id === m.id ? memberAction.kind : null;
                return (
                  <Fragment key={m.id}>
                    <tr data-testid={`member-row-${m.id}`} className={expanded || action ? 'is-expanded' : undefined}>
                      <td data-label={t('register.col.name')}>
                        <strong>{m.fullName}</strong>
                        {m.relationship && <span className="muted small block">{relationshipLabel(m.relationship)}</span>}
                        {(m.ethnicity || m.phone) && (
                          <span className="muted small block">{[m.ethnicity, m.phone].filter(Boolean).join(' · ')}</span>
                        )}
                        {(m.school || m.grade) && (
                          <span className="muted small block">
                            {[m.school, m.grade ? t('register.personForm.gradeN', { n: m.grade }) : null].filter(Boolean).join(' · ')}
                          </span>
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
                        <CardBadge covered={status.covered} cardTo={status.cardTo} testId={`member-card-${m.id}`} />
                      </td>
                      <td className="actions-cell">
                        <button
                          type="button"
                          className="btn btn-link nowrap"
                          data-testid={`member-toggle-${m.id}`}
                          aria-expanded={expanded}
                          aria-controls={`member-cards-${m.id}`}
                          onClick={() => toggle(m.id)}
                        >
                          {expanded ? t('register.household.hideCards') : t('register.household.showCards', { count: m.cards.length })}
                        </button>
                        {canEdit && (
                          <div className="btn-group member-actions">
                            <button
                              type="button"
                              className="btn btn-secondary btn-small"
                              data-testid={`member-edit-${m.id}`}
                              aria-label={t('register.personForm.editAria', { name: m.fullName })}
                              aria-pressed={action === 'edit'}
                              onClick={() => {
                                setAdding(false);
                                setMemberAction(action === 'edit' ? null : { id: m.id, kind: 'edit' });
                              }}
                            >
                              {t('register.personForm.edit')}
                            </button>
                            <button
                              type="button"
                              className="btn btn-danger-ghost btn-small"
                              data-testid={`member-delete-${m.id}`}
                              aria-label={t('register.personForm.deleteAria', { name: m.fullName })}
                              aria-pressed={action === 'delete'}
                              onClick={() => setMemberAction(action === 'delete' ? null : { id: m.id, kind: 'delete' })}
                            >
                              {t('register.personForm.delete')}
                            </button>
                          </div>
                        )}
                      </td>
                    </tr>
                    {canEdit && action && (
                      <tr className="expand-row">
                        <td colSpan={7} data-testid={`member-${action}-${m.id}-panel`}>
                          {action === 'edit' ? (
                            <PersonForm
                              key={m.id}
                              householdId={household.id}
                              member={m}
                              groups={groups}
                              onDone={(name) => {
                                setMemberAction(null);
                                if (name) changed(t('register.personForm.saved', { name }));
                              }}
                            />
                          ) : (
                            <DeleteConfirm
                              testId="member-delete-confirm"
                              text={t('register.personForm.confirmDelete', { name: m.fullName, code: household.code, count: m.cards.length })}
                              confirmLabel={t('register.personForm.deleteYes')}
                              action={() => registerApi.deletePerson(m.id)}
                              onDone={(deleted) => {
                                setMemberAction(null);
                                if (deleted) changed(t('register.personForm.deleted', { name: m.fullName, code: household.code }));
                              }}
                            />
                          )}
                        </td>
                      </tr>
                    )}
                    {expanded && (
                      <tr className="expand-row">
                        <td colSpan={7} id={`member-cards-${m.id}`} data-testid={`member-cards-${m.id}`}>
                          <CardHistory member={m} groups={groups} canEdit={canEdit} onChanged={changed} place={{ communeCode: household.communeCode, villageCode: household.villageCode }} />
                          <VsiPeriods member={m} canEdit={canEdit} onChanged={changed} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </DataTable>
          )}
          {canEdit && adding && (
            <PersonForm
              householdId={household.id}
              groups={groups}
              onDone={(name) => {
                setAdding(false);
                if (name) changed(t('register.personForm.added', { name, code: household.code }));
              }}
            />
          )}
        </section>
      )}
    </div>
  );
}

function CardHistory({
  member,
  groups,
  canEdit,
  onChanged,
  place,
}: {
  member: Member;
  groups: PremiumGroup[];
  canEdit: boolean;
  onChanged: (message: string) => void;
  /** The household's commune and village: the facilities and collectors a card may name. */
  place: CardPlace;
}) {
  const { t } = useTranslation('web');
  const [adding, setAdding] = useState(false);
  /** A card being corrected or deleted. */
  const [cardAction, setCardAction] = useState<{ id: string; kind: 'edit' | 'delete' } | null>(null);
  const cards = newestFirst(member.cards);
  const day = today();
  const columns = canEdit ? 7 : 6;
  return (
    <div className="card-history" aria-label={t('register.household.showCardsAria', { name: member.fullName })} role="region">
      {cards.length === 0 ? (
        <p className="muted small">{t('register.household.noCards')}</p>
      ) : (
        <DataTable
          className="cards-table"
          wrap={false}
          columns={[
            t('register.household.cardGroup'),
            t('register.household.cardFrom'),
            t('register.household.cardTo'),
            t('register.household.cardNumber'),
            t('register.household.cardFacility'),
            t('register.household.cardSource'),
            { label: t('register.personForm.actions'), hidden: true },
          ]}
        >
          {cards.map((c) => {
            const current = c.validFrom <= day && day <= c.validTo;
            const action = cardAction?.id === c.id ? cardAction.kind : null;
            const period = `${formatDate(c.validFrom)}–${formatDate(c.validTo)}`;
            return (
              <Fragment key={c.id}>
                <tr data-testid={`card-row-${c.id}`} className={current ? 'is-current' : undefined}>
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
                  <td data-label={t('register.household.cardFacility')} data-testid={`card-facility-${c.id}`}>
                    {c.facilityCode ? (
                      <span title={c.collectorName ? t('register.household.cardCollector', { name: c.collectorName, code: c.collectorCode }) : undefined}>
                        {c.facilityCode} {c.facilityName ?? ''}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-label={t('register.household.cardSource')}>
                    <span className={`pill pill-source pill-source-${c.source}`}>
                      {t(`register.source.${c.source}`, { defaultValue: c.source })}
                    </span>
                  </td>
                  {canEdit && (
                    <td className="actions-cell">
                      <div className="btn-group">
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          data-testid={`card-edit-${c.id}`}
                          aria-label={t('register.cardEdit.editAria', { group: c.groupCode, period })}
                          onClick={() => {
                            setAdding(false);
                            setCardAction(action === 'edit' ? null : { id: c.id, kind: 'edit' });
                          }}
                        >
                          {t('register.cardEdit.edit')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-danger-ghost btn-small"
                          data-testid={`card-delete-${c.id}`}
                          aria-label={t('register.cardEdit.deleteAria', { group: c.groupCode, period })}
                          onClick={() => setCardAction(action === 'delete' ? null : { id: c.id, kind: 'delete' })}
                        >
                          {t('register.cardEdit.delete')}
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
                {canEdit && action && (
                  <tr>
                    <td colSpan={columns}>
                      {action === 'edit' ? (
                        <CardEditForm
                          member={member}
                          card={c}
                          groups={groups}
                          place={place}
                          onDone={(saved) => {
                            setCardAction(null);
                            if (saved) onChanged(t('register.cardEdit.saved', { name: member.fullName }));
                          }}
                        />
                      ) : (
                        <DeleteConfirm
                          testId="card-delete-confirm"
                          text={t('register.cardEdit.confirmDelete', { group: c.groupCode, period, name: member.fullName })}
                          confirmLabel={t('register.cardEdit.deleteYes')}
                          action={() => registerApi.deleteCard(c.id)}
                          onDone={(deleted) => {
                            setCardAction(null);
                            if (deleted) onChanged(t('register.cardEdit.deleted', { name: member.fullName }));
                          }}
                        />
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </DataTable>
      )}
      {canEdit &&
        (adding ? (
          <CardEditForm
            member={member}
            groups={groups}
            place={place}
            onDone={(saved) => {
              setAdding(false);
              if (saved) onChanged(t('register.addCard.saved', { name: member.fullName }));
            }}
          />
        ) : (
          <button
            type="button"
            className="btn btn-secondary btn-small add-card-open"
            data-testid={`member-add-card-${member.id}`}
            onClick={() => {
              setCardAction(null);
              setAdding(true);
            }}
          >
            + {t('register.addCard.open')}
          </button>
        ))}
    </div>
  );
}
