/**
 * A member of a household, added or changed by hand: name, relationship to the head, birth date typed as
 * dd/MM/yyyy, sex, citizen id, insurance code, ethnicity, phone, the participant groups in force, and the
 * school and grade of a pupil. The server checks the rules (citizen id against birth year and sex, ...) and
 * its messages show next to their fields.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type PremiumGroup } from '../premium/premiumApi';
import { type Member, type PersonFields, type PersonPatch, registerApi } from './registerApi';
import { mapErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { DayInput, FormButtons, dayText, orNull, parseDayMonthYear } from './HouseholdBits';
import { groupLabel } from '../premium/RuleBits';
import { RELATIONSHIP_KEYS } from '../../../src/domain/register-row';

/** The relationships offered, as the register stores them ('head' or the Vietnamese word), with their catalogue keys. */
const RELATIONSHIPS: readonly (readonly [value: string, key: string])[] = Object.entries(RELATIONSHIP_KEYS);

/** A stored relationship in the interface language ('' for none; a word we do not know as typed). */
export function useRelationshipLabel(): (value: string | null | undefined) => string {
  const { t } = useTranslation('web');
  return (value) => {
    if (!value) return '';
    const known = RELATIONSHIPS.find(([v]) => v === value);
    return known ? t(`register.relationship.${known[1]}`) : value;
  };
}

const FIELDS = ['fullName', 'relationship', 'birthDate', 'sex', 'citizenId', 'insuranceCode', 'ethnicity', 'phone', 'groupCodes', 'school', 'grade'];
const GRADES = Array.from({ length: 12 }, (_, i) => i + 1);

type Sex = 'male' | 'female';

/**
 * Adds a member to `householdId` (no `member`) or changes `member`. `onDone` receives the saved name, or
 * null on cancel (or when nothing changed).
 */
export function PersonForm({
  householdId,
  member,
  groups,
  onDone,
}: {
  householdId: string;
  member?: Member;
  groups: PremiumGroup[];
  onDone: (savedName: string | null) => void;
}) {
  const { t, i18n } = useTranslation('web');
  const relationshipLabel = useRelationshipLabel();
  const prefix = member ? `person-${member.id}` : 'person-new';
  const [fullName, setFullName] = useState(member?.fullName ?? '');
  const [relationship, setRelationship] = useState(member?.relationship ?? '');
  const [birthDate, setBirthDate] = useState(dayText(member?.birthDate));
  const [sex, setSex] = useState<Sex | ''>(member?.sex === 'male' || member?.sex === 'female' ? member.sex : '');
  const [citizenId, setCitizenId] = useState(member?.citizenId ?? '');
  const [insuranceCode, setInsuranceCode] = useState(member?.insuranceCode ?? '');
  const [ethnicity, setEthnicity] = useState(member?.ethnicity ?? '');
  const [phone, setPhone] = useState(member?.phone ?? '');
  const [groupCodes, setGroupCodes] = useState<string[]>(member?.groupCodes.length ? member.groupCodes : ['']);
  const [school, setSchool] = useState(member?.school ?? '');
  const [grade, setGrade] = useState(member?.grade ? String(member.grade) : '');
  const { errors, busy, invalid, send } = useFormSubmit({
    errorsOf: (err) => mapErrors(err, (parts) => (FIELDS.includes(parts[0] ?? '') ? (parts[0] ?? null) : null)),
  });
  const f = errors.fields;

  const chosen = groupCodes.filter(Boolean);
  const isPupil = chosen.some((code) => groups.find((g) => g.code === code)?.role === 'pupil') || !!member?.school || !!member?.grade;
  const relationshipOptions = relationship && !RELATIONSHIPS.some(([v]) => v === relationship) ? [[relationship, ''] as const, ...RELATIONSHIPS] : RELATIONSHIPS;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!fullName.trim()) fields.fullName = t('register.personForm.nameRequired');
    const birth = parseDayMonthYear(birthDate);
    if (!birth) fields.birthDate = birthDate.trim() ? t('register.form.dateInvalid') : t('register.personForm.birthRequired');
    if (!sex) fields.sex = t('register.personForm.sexRequired');
    if (invalid(fields) || !birth || !sex) return;
    const values: PersonFields = {
      fullName: fullName.trim(),
      relationship: orNull(relationship),
      birthDate: birth,
      sex,
      citizenId: orNull(citizenId),
      insuranceCode: orNull(insuranceCode),
      ethnicity: orNull(ethnicity),
      phone: orNull(phone),
      groupCodes: [...new Set(chosen)].sort(),
      school: isPupil ? orNull(school) : null,
      grade: isPupil && grade ? Number(grade) : null,
    };
    await send(async () => {
      if (member) {
        const patch: PersonPatch = {};
        const before: PersonFields = {
          fullName: member.fullName,
          relationship: member.relationship,
          birthDate: member.birthDate ?? '',
          sex: member.sex === 'male' ? 'male' : 'female',
          citizenId: member.citizenId,
          insuranceCode: member.insuranceCode,
          ethnicity: member.ethnicity,
          phone: member.phone,
          groupCodes: member.groupCodes,
          school: member.school ?? null,
          grade: member.grade ?? null,
        };
        for (const key of Object.keys(values) as (keyof PersonFields)[]) {
          if (JSON.stringify(values[key]) !== JSON.stringify(before[key])) Object.assign(patch, { [key]: values[key] });
        }
        if (Object.keys(patch).length === 0) {
          onDone(null);
          return;
        }
        const saved = await registerApi.updatePerson(member.id, patch);
        onDone(saved?.fullName ?? values.fullName);
      } else {
        const saved = await registerApi.createPerson({ householdId, ...values });
        onDone(saved?.fullName ?? values.fullName);
      }
    });
  }

  const setGroup = (index: number, code: string) => setGroupCodes((list) => list.map((c, i) => (i === index ? code : c)));
  const groupOptions = (current: string) => {
    const list = [...groups];
    if (current && !list.some((g) => g.code === current)) list.unshift({ code: current, nameVi: current, nameEn: current } as PremiumGroup);
    return list;
  };

  return (
    <form
      className="add-card person-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid={`${prefix}-form`}
      aria-labelledby={`${prefix}-title`}
    >
      <h3 id={`${prefix}-title`}>{member ? t('register.personForm.editTitle', { name: member.fullName }) : t('register.personForm.addTitle')}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="policy-grid">
        <TextField
          id={`${prefix}-name`}
          label={t('register.col.name')}
          error={f.fullName}
          className="span-2"
          testId="person-name"
          autoFocus
          type="text"
          autoComplete="off"
          maxLength={100}
          value={fullName}
          onChange={setFullName}
        />
        <Field id={`${prefix}-relationship`} label={t('register.col.relationship')} error={f.relationship}>
          <select
            {...inputProps(`${prefix}-relationship`, f.relationship)}
            data-testid="person-relationship"
            value={relationship}
            onChange={(e) => setRelationship(e.target.value)}
          >
            <option value="">{t('register.personForm.relationshipNone')}</option>
            {relationshipOptions.map(([value]) => (
              <option key={value} value={value}>
                {relationshipLabel(value)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${prefix}-birth`} label={t('register.col.birthDate')} error={f.birthDate} hint={t('register.form.dateHint')}>
          <DayInput id={`${prefix}-birth`} testId="person-birth" value={birthDate} error={f.birthDate} hint onChange={setBirthDate} />
        </Field>
        <Field id={`${prefix}-sex`} label={t('register.col.sex')} error={f.sex}>
          <select
            {...inputProps(`${prefix}-sex`, f.sex)}
            data-testid="person-sex"
            value={sex}
            onChange={(e) => setSex(e.target.value === 'male' || e.target.value === 'female' ? e.target.value : '')}
          >
            <option value="">{t('register.personForm.sexPick')}</option>
            <option value="female">{t('register.sex.female')}</option>
            <option value="male">{t('register.sex.male')}</option>
          </select>
        </Field>
        <TextField
          id={`${prefix}-citizen`}
          label={t('register.personForm.citizenId')}
          error={f.citizenId}
          hint={t('register.personForm.citizenIdHint')}
          testId="person-citizen-id"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          maxLength={30}
          value={citizenId}
          onChange={setCitizenId}
        />
        <TextField
          id={`${prefix}-insurance`}
          label={t('register.personForm.insuranceCode')}
          error={f.insuranceCode}
          hint={t('register.personForm.insuranceCodeHint')}
          testId="person-insurance-code"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          maxLength={30}
          value={insuranceCode}
          onChange={setInsuranceCode}
        />
        <TextField
          id={`${prefix}-phone`}
          label={t('register.col.phone')}
          error={f.phone}
          testId="person-phone"
          type="tel"
          autoComplete="off"
          maxLength={30}
          value={phone}
          onChange={setPhone}
        />
        <TextField
          id={`${prefix}-ethnicity`}
          label={t('register.col.ethnicity')}
          error={f.ethnicity}
          testId="person-ethnicity"
          type="text"
          autoComplete="off"
          maxLength={50}
          value={ethnicity}
          onChange={setEthnicity}
        />
        <div
          className="member-groups span-3"
          role="group"
          aria-labelledby={`${prefix}-groups-label`}
          aria-describedby={f.groupCodes ? `${prefix}-groups-error` : undefined}
        >
          <label id={`${prefix}-groups-label`} htmlFor={`${prefix}-group-0`}>
            {t('register.personForm.groups')}
          </label>
          {groupCodes.map((code, index) => (
            <div className="input-row field" key={index}>
              <select
                id={`${prefix}-group-${index}`}
                aria-label={index > 0 ? t('register.personForm.groupN', { n: index + 1 }) : undefined}
                aria-invalid={f.groupCodes ? true : undefined}
                data-testid={`person-group-${index}`}
                value={code}
                onChange={(e) => setGroup(index, e.target.value)}
              >
                <option value="">{t('register.addCard.groupPick')}</option>
                {groupOptions(code).map((g) => (
                  <option key={g.code} value={g.code}>
                    {groupLabel(g, i18n.language)}
                  </option>
                ))}
              </select>
              {groupCodes.length > 1 && (
                <button
                  type="button"
                  className="btn btn-ghost"
                  data-testid={`person-group-remove-${index}`}
                  aria-label={t('register.personForm.removeGroup', { n: index + 1 })}
                  title={t('register.personForm.removeGroup', { n: index + 1 })}
                  onClick={() => setGroupCodes((list) => list.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              )}
            </div>
          ))}
          {f.groupCodes && (
            <p className="field-error" id={`${prefix}-groups-error`} data-testid={`${prefix}-groups-error`}>
              {f.groupCodes}
            </p>
          )}
          <button type="button" className="btn-link" data-testid="person-group-add" onClick={() => setGroupCodes((list) => [...list, ''])}>
            + {t('register.personForm.addGroup')}
          </button>
          <p className="field-hint">{t('register.personForm.groupsHint')}</p>
        </div>
        {isPupil && (
          <>
            <TextField
              id={`${prefix}-school`}
              label={t('register.personForm.school')}
              error={f.school}
              className="span-2"
              testId="person-school"
              type="text"
              autoComplete="off"
              maxLength={200}
              value={school}
              onChange={setSchool}
            />
            <Field id={`${prefix}-grade`} label={t('register.personForm.grade')} error={f.grade}>
              <select {...inputProps(`${prefix}-grade`, f.grade)} data-testid="person-grade" value={grade} onChange={(e) => setGrade(e.target.value)}>
                <option value="">—</option>
                {GRADES.map((g) => (
                  <option key={g} value={String(g)}>
                    {g}
                  </option>
                ))}
              </select>
            </Field>
          </>
        )}
      </div>
      <FormButtons
        busy={busy}
        testId="person-form"
        submitLabel={member ? t('common.save') : t('register.personForm.add')}
        onCancel={() => onDone(null)}
      />
    </form>
  );
}
