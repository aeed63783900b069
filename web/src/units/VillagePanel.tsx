import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type Unit, unitsApi, VILLAGE_KINDS, type VillageKind } from './unitsApi';
import { NO_ERRORS, errorMessage, splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { localPart } from '../format';
import { Field, inputProps, TextField } from '../ui/Field';
import { OptionSelect } from '../ui/OptionSelect';

function isVillageKind(value: string): value is VillageKind {
  return (VILLAGE_KINDS as readonly string[]).includes(value);
}

/**
 * The villages, hamlets and residential groups of one commune: the list (data-testid="unit-list"),
 * rename and delete per row, and the form that adds one.
 */
export function VillagePanel({
  commune,
  villages,
  canEdit,
  highlight,
  onChanged,
  onError,
  onNotice,
}: {
  commune: Unit;
  villages: Unit[];
  canEdit: boolean;
  highlight: string | null;
  onChanged: () => void;
  onError: (message: string | null) => void;
  onNotice: (message: string | null) => void;
}) {
  const { t } = useTranslation('web');
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  return (
    <>
      {villages.length === 0 ? (
        <p className="empty" data-testid="unit-list-empty">
          {t('units.villages.empty')}
        </p>
      ) : (
        <ul className="village-list" data-testid="unit-list">
          {villages.map((v) => (
            <li
              key={v.code}
              data-testid={`unit-item-${v.code}`}
              className={`village-row${highlight === v.code ? ' highlight' : ''}`}
            >
              {editing === v.code ? (
                <RenameForm
                  village={v}
                  onDone={(saved) => {
                    setEditing(null);
                    if (saved) {
                      onNotice(t('units.villages.renamed', { name: saved.name }));
                      onChanged();
                    }
                  }}
                  onError={onError}
                />
              ) : (
                <>
                  <div className="village-main">
                    <span className="village-name">{v.name}</span>
                    <span className="village-meta">
                      <span className={`badge badge-kind-${v.kind}`}>{t(`kinds.${v.kind}`, { defaultValue: v.kind })}</span>
                      <span className="code" title={v.code}>
                        {t('units.villages.codeShort', { code: v.localCode ?? localPart(v.code) })}
                      </span>
                    </span>
                  </div>
                  {canEdit && confirming !== v.code && (
                    <div className="row-actions">
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        data-testid={`village-rename-${v.code}`}
                        onClick={() => {
                          setConfirming(null);
                          setEditing(v.code);
                        }}
                        aria-label={t('units.villages.renameAria', { name: v.name })}
                      >
                        {t('units.villages.rename')}
                      </button>
                      <button
                        type="button"
                        className="btn btn-danger-ghost btn-small"
                        data-testid={`village-delete-${v.code}`}
                        onClick={() => {
                          setEditing(null);
                          setConfirming(v.code);
                        }}
                        aria-label={t('units.villages.deleteAria', { name: v.name })}
                      >
                        {t('units.villages.delete')}
                      </button>
                    </div>
                  )}
                  {canEdit && confirming === v.code && (
                    <DeleteConfirm
                      village={v}
                      onDone={(deleted) => {
                        setConfirming(null);
                        if (deleted) {
                          onNotice(t('units.villages.deleted', { name: v.name }));
                          onChanged();
                        }
                      }}
                      onError={onError}
                    />
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}

      {canEdit ? (
        <AddVillageForm
          commune={commune}
          onAdded={(unit) => {
            onNotice(t('units.villages.added', { name: unit.name }));
            onChanged();
          }}
          onError={onError}
        />
      ) : (
        <p className="muted small">{t('units.villages.readOnly')}</p>
      )}
    </>
  );
}

function KindSelect(props: { id: string; testId: string; value: VillageKind; error?: string; onChange: (kind: VillageKind) => void }) {
  const { t } = useTranslation('web');
  return <OptionSelect {...props} options={VILLAGE_KINDS} label={(k) => t(`kinds.${k}`)} />;
}

const ADD_FIELDS = ['code', 'name', 'kind'] as const;

function AddVillageForm({
  commune,
  onAdded,
  onError,
}: {
  commune: Unit;
  onAdded: (unit: Unit) => void;
  onError: (message: string | null) => void;
}) {
  const { t } = useTranslation('web');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<VillageKind>(commune.kind === 'ward' ? 'residential_group' : 'village');
  const { errors, setErrors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, ADD_FIELDS), onBanner: onError });
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setKind(commune.kind === 'ward' ? 'residential_group' : 'village');
    setErrors(NO_ERRORS);
  }, [commune.code, commune.kind]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!code.trim()) fields.code = t('units.villages.codeRequired');
    if (!name.trim()) fields.name = t('units.villages.nameRequired');
    if (invalid(fields)) return;
    await send(async () => {
      const unit = await unitsApi.createVillage({ parentCode: commune.code, code: code.trim(), name: name.trim(), kind });
      setCode('');
      setName('');
      onAdded(unit);
      codeInput.current?.focus();
    });
  }

  return (
    <form className="add-village" onSubmit={submit} noValidate aria-labelledby="add-village-title">
      <h3 id="add-village-title">{t('units.villages.addTitle', { commune: commune.name })}</h3>
      <div className="form-grid">
        <Field id="village-code" label={t('units.villages.code')} error={errors.fields.code} hint={t('units.villages.codeHint')}>
          <input
            {...inputProps('village-code', errors.fields.code, true)}
            ref={codeInput}
            data-testid="village-code"
            type="text"
            autoComplete="off"
            maxLength={20}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </Field>
        <TextField
          id="village-name"
          label={t('units.villages.name')}
          error={errors.fields.name}
          className="grow"
          type="text"
          autoComplete="off"
          maxLength={200}
          placeholder={t('units.villages.namePlaceholder')}
          value={name}
          onChange={setName}
        />
        <Field id="village-kind" label={t('units.villages.kind')} error={errors.fields.kind}>
          <KindSelect id="village-kind" testId="village-kind" value={kind} error={errors.fields.kind} onChange={setKind} />
        </Field>
        <div className="field field-submit">
          <button type="submit" className="btn btn-primary" data-testid="village-submit" disabled={busy}>
            {busy ? t('common.saving') : t('units.villages.add')}
          </button>
        </div>
      </div>
    </form>
  );
}

const EDIT_FIELDS = ['name', 'kind'] as const;

function RenameForm({
  village,
  onDone,
  onError,
}: {
  village: Unit;
  onDone: (saved: Unit | null) => void;
  onError: (message: string | null) => void;
}) {
  const { t } = useTranslation('web');
  const [name, setName] = useState(village.name);
  const [kind, setKind] = useState<VillageKind>(isVillageKind(village.kind) ? village.kind : 'village');
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, EDIT_FIELDS), onBanner: onError });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid(name.trim() ? {} : { name: t('units.villages.nameRequired') })) return;
    const patch: { name?: string; kind?: VillageKind } = {};
    if (name.trim() !== village.name) patch.name = name.trim();
    if (kind !== village.kind) patch.kind = kind;
    if (!patch.name && !patch.kind) {
      onDone(null);
      return;
    }
    await send(async () => {
      const saved = await unitsApi.updateVillage(village.code, patch);
      onDone(saved ?? { ...village, ...patch });
    });
  }

  return (
    <form className="rename-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        <Field id="village-edit-name" label={t('units.villages.name')} error={errors.fields.name} className="grow">
          <input
            {...inputProps('village-edit-name', errors.fields.name)}
            data-testid="village-edit-name"
            type="text"
            autoComplete="off"
            autoFocus
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') onDone(null);
            }}
          />
        </Field>
        <Field id="village-edit-kind" label={t('units.villages.kind')} error={errors.fields.kind}>
          <KindSelect
            id="village-edit-kind"
            testId="village-edit-kind"
            value={kind}
            error={errors.fields.kind}
            onChange={setKind}
          />
        </Field>
        <div className="field field-submit">
          <div className="btn-group">
            <button type="submit" className="btn btn-primary btn-small" data-testid="village-edit-save" disabled={busy}>
              {t('common.save')}
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="village-edit-cancel"
              onClick={() => onDone(null)}
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      </div>
    </form>
  );
}

function DeleteConfirm({
  village,
  onDone,
  onError,
}: {
  village: Unit;
  onDone: (deleted: boolean) => void;
  onError: (message: string | null) => void;
}) {
  const { t } = useTranslation('web');
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    onError(null);
    try {
      await unitsApi.deleteVillage(village.code);
      onDone(true);
    } catch (err) {
      onError(errorMessage(err));
      setBusy(false);
      onDone(false);
    }
  }

  return (
    <div className="row-actions confirm" role="group" aria-label={t('units.villages.confirmDelete', { name: village.name })}>
      <span className="confirm-text">{t('units.villages.confirmDelete', { name: village.name })}</span>
      <button
        type="button"
        className="btn btn-danger btn-small"
        data-testid="village-delete-confirm"
        disabled={busy}
        onClick={() => void confirm()}
      >
        {t('units.villages.deleteConfirm')}
      </button>
      <button type="button" className="btn btn-ghost btn-small" data-testid="village-delete-cancel" onClick={() => onDone(false)}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
