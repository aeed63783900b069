/**
 * A health insurance card of a member, added by hand or corrected: participant group, validity dates
 * typed as dd/MM/yyyy, card number. Field errors from the server show next to their field.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { officesApi, type Collector, type Facility } from '../offices/officesApi';
import { unitsApi } from '../units/unitsApi';
import { useTranslation } from 'react-i18next';
import { type PremiumGroup } from '../premium/premiumApi';
import { type Card, type CardPatch, type Member, registerApi } from './registerApi';
import { splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { DayInput, FormButtons, dayText, orNull, parseDayMonthYear } from './HouseholdBits';
import { isMissingRoute } from './RegisterBits';
import { groupLabel } from '../premium/RuleBits';

const CARD_FIELDS = ['groupCode', 'validFrom', 'validTo', 'number', 'facilityCode', 'collectorCode'] as const;

/** Where the household lives: its province's facilities and its village's collectors are the choices. */
export interface CardPlace {
  communeCode: string;
  villageCode: string | null;
}

/** The facilities of the commune's province and the collectors of the village (else of the user's offices). */
function useCardChoices(place: CardPlace) {
  const [facilities, setFacilities] = useState<Facility[]>([]);
  const [collectors, setCollectors] = useState<Collector[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    unitsApi
      .unit(place.communeCode, controller.signal)
      .then(({ ancestors }) => officesApi.facilities({ province: ancestors.find((a) => a.level === 'province')?.code }, controller.signal))
      .then(setFacilities)
      .catch(() => setFacilities([]));
    officesApi
      .collectors(place.villageCode ? { village: place.villageCode } : {}, controller.signal)
      .then(setCollectors)
      .catch(() => setCollectors([]));
    return () => controller.abort();
  }, [place.communeCode, place.villageCode]);
  return { facilities, collectors };
}

/** Adds a card to `member` (no `card`) or corrects `card`; `onDone(true)` once saved, `onDone(false)` on cancel. */
export function CardEditForm({
  member,
  card,
  groups,
  place,
  onDone,
}: {
  member: Member;
  card?: Card;
  groups: PremiumGroup[];
  place: CardPlace;
  onDone: (saved: boolean) => void;
}) {
  const { t, i18n } = useTranslation('web');
  const [groupCode, setGroupCode] = useState(card?.groupCode ?? member.groupCodes[0] ?? '');
  const [validFrom, setValidFrom] = useState(dayText(card?.validFrom));
  const [validTo, setValidTo] = useState(dayText(card?.validTo));
  const [number, setNumber] = useState(card?.number ?? '');
  const [facilityCode, setFacilityCode] = useState(card?.facilityCode ?? '');
  const [collectorCode, setCollectorCode] = useState(card?.collectorCode ?? '');
  const { facilities, collectors } = useCardChoices(place);
  const { errors, busy, invalid, send } = useFormSubmit({
    errorsOf: (err) => (isMissingRoute(err) ? { fields: {}, banner: t('register.addCard.notAvailable') } : splitErrors(err, CARD_FIELDS)),
  });
  const prefix = card ? `card-edit-${card.id}` : `card-${member.id}`;
  const testId = card ? 'card-edit' : 'card';

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
    const from = parseDayMonthYear(validFrom);
    const to = parseDayMonthYear(validTo);
    if (!groupCode) fields.groupCode = t('register.addCard.groupRequired');
    const dateError = (text: string) => (text.trim() ? t('register.form.dateInvalid') : t('register.addCard.dateRequired'));
    if (!from) fields.validFrom = dateError(validFrom);
    if (!to) fields.validTo = dateError(validTo);
    else if (from && to < from) fields.validTo = t('register.addCard.toBeforeFrom');
    if (invalid(fields) || !from || !to) return;
    await send(async () => {
      if (card) {
        const patch: CardPatch = {};
        if (groupCode !== card.groupCode) patch.groupCode = groupCode;
        if (from !== card.validFrom) patch.validFrom = from;
        if (to !== card.validTo) patch.validTo = to;
        if (orNull(number) !== card.number) patch.number = orNull(number);
        if (orNull(facilityCode) !== card.facilityCode) patch.facilityCode = orNull(facilityCode);
        if (orNull(collectorCode) !== card.collectorCode) patch.collectorCode = orNull(collectorCode);
        if (Object.keys(patch).length === 0) {
          onDone(false);
          return;
        }
        await registerApi.updateCard(card.id, patch);
      } else {
        await registerApi.addCard({
          personId: member.id,
          groupCode,
          validFrom: from,
          validTo: to,
          ...(number.trim() ? { number: number.trim() } : {}),
          ...(facilityCode ? { facilityCode } : {}),
          ...(collectorCode ? { collectorCode } : {}),
        });
      }
      onDone(true);
    });
  }

  return (
    <form
      className="add-card"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid={card ? `card-edit-form-${card.id}` : `add-card-form-${member.id}`}
    >
      <h3>{card ? t('register.cardEdit.title', { name: member.fullName }) : t('register.addCard.title', { name: member.fullName })}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="card-form-grid">
        <Field id={`${prefix}-group`} label={t('register.addCard.group')} error={errors.fields.groupCode}>
          <select
            {...inputProps(`${prefix}-group`, errors.fields.groupCode)}
            data-testid={`${testId}-group`}
            autoFocus
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
          <DayInput id={`${prefix}-from`} testId={`${testId}-from`} value={validFrom} error={errors.fields.validFrom} onChange={setValidFrom} />
        </Field>
        <Field id={`${prefix}-to`} label={t('register.addCard.to')} error={errors.fields.validTo}>
          <DayInput id={`${prefix}-to`} testId={`${testId}-to`} value={validTo} error={errors.fields.validTo} onChange={setValidTo} />
        </Field>
        <TextField
          id={`${prefix}-number`}
          label={t('register.addCard.number')}
          error={errors.fields.number}
          testId={`${testId}-number`}
          type="text"
          autoComplete="off"
          maxLength={30}
          value={number}
          onChange={setNumber}
        />
        <Field id={`${prefix}-facility`} label={t('register.addCard.facility')} error={errors.fields.facilityCode}>
          <select {...inputProps(`${prefix}-facility`, errors.fields.facilityCode)} data-testid={`${testId}-facility`} value={facilityCode} onChange={(e) => setFacilityCode(e.target.value)}>
            <option value="">—</option>
            {facilityCode && !facilities.some((f) => f.code === facilityCode) && <option value={facilityCode}>{facilityCode}</option>}
            {facilities.map((f) => (
              <option key={f.code} value={f.code}>
                {f.code} - {f.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${prefix}-collector`} label={t('register.addCard.collector')} error={errors.fields.collectorCode}>
          <select {...inputProps(`${prefix}-collector`, errors.fields.collectorCode)} data-testid={`${testId}-collector`} value={collectorCode} onChange={(e) => setCollectorCode(e.target.value)}>
            <option value="">—</option>
            {collectorCode && !collectors.some((c) => c.code === collectorCode) && <option value={collectorCode}>{collectorCode}</option>}
            {collectors.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </select>
        </Field>
      </div>
      <FormButtons
        busy={busy}
        testId={testId}
        submitLabel={card ? t('common.save') : t('register.addCard.submit')}
        onCancel={() => onDone(false)}
      />
    </form>
  );
}
