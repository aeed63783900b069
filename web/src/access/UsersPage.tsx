/**
 * Users (admin only): the list, a form to create a user, and per user: edit role/scope,
 * deactivate/activate, reset the password.
 */
import { Fragment, useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type ManagedUser, type Role, ROLES, type User } from './accessApi';
import { isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, TextField } from '../ui/Field';
import { errorMessage, splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { OptionSelect } from '../ui/OptionSelect';
import { unitsApi } from '../units/unitsApi';
import { DataTable } from '../ui/DataTable';

const MIN_PASSWORD = 10;

/** Names of scope units, fetched once per code for this page. */
const unitNames = new Map<string, Promise<string | null>>();
function unitName(code: string): Promise<string | null> {
  let name = unitNames.get(code);
  if (!name) {
    name = unitsApi
      .unit(code)
      .then((d) => d.unit.name)
      .catch(() => {
        unitNames.delete(code);
        return null;
      });
    unitNames.set(code, name);
  }
  return name;
}

function useUnitName(code: string | null | undefined): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    setName(null);
    const c = code?.trim();
    if (!c || !/^\d{2}(\d{3})?$/.test(c)) return;
    let live = true;
    void unitName(c).then((n) => {
      if (live) setName(n);
    });
    return () => {
      live = false;
    };
  }, [code]);
  return name;
}

function ScopeCell({ code }: { code: string | null }) {
  const { t } = useTranslation('web');
  const name = useUnitName(code);
  if (!code) return <span className="muted">{t('users.national')}</span>;
  return (
    <span>
      {name ?? ''} <span className="code">{code}</span>
    </span>
  );
}

function RoleSelect(props: { id: string; testId: string; value: Role; error?: string; onChange: (role: Role) => void }) {
  const { t } = useTranslation('web');
  return <OptionSelect {...props} options={ROLES} label={(r) => t(`roles.${r}`)} />;
}

function ScopeHint({ code, role }: { code: string; role: Role }) {
  const { t } = useTranslation('web');
  const name = useUnitName(code);
  if (name) return <>{t('users.scopeIs', { name })}</>;
  return <>{t(role === 'admin' ? 'users.scopeHintAdmin' : 'users.scopeHint')}</>;
}

export function UsersPage({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation('web');
  const [users, setUsers] = useState<ManagedUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [open, setOpen] = useState<{ id: string; mode: 'edit' | 'password' } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    accessApi
      .users(controller.signal)
      .then(setUsers)
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [reloadKey]);

  const reload = useCallback(() => setReloadKey((k) => k + 1), []);
  const showError = useCallback((m: string | null) => {
    setError(m);
    if (m) setNotice(null);
  }, []);
  const showNotice = useCallback((m: string | null) => {
    setNotice(m);
    if (m) setError(null);
  }, []);

  async function toggleActive(u: ManagedUser) {
    setBusyId(String(u.id));
    showError(null);
    try {
      await accessApi.updateUser(u.id, { active: !u.active });
      showNotice(t(u.active ? 'users.deactivated' : 'users.activated', { name: u.username }));
      reload();
    } catch (err) {
      showError(errorMessage(err));
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div className="page users-page">
      <div className="page-head">
        <h1>{t('users.title')}</h1>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />

      <section className="card" aria-labelledby="users-list-title">
        <h2 id="users-list-title">{t('users.listTitle', { count: users?.length ?? 0 })}</h2>
        {!users ? (
          <p className="muted">{t('common.loading')}</p>
        ) : (
          <DataTable
            testId="users-table"
            columns={[
              t('users.username'),
              t('users.displayName'),
              t('users.role'),
              t('users.scope'),
              t('users.status'),
              { label: t('users.actions'), hidden: true },
            ]}
          >
            {users.map((u) => {
              const id = String(u.id);
              const isSelf = id === String(currentUser.id);
              const expanded = open?.id === id ? open.mode : null;
              return (
                <Fragment key={id}>
                  <tr data-testid={`user-row-${u.username}`} className={u.active ? undefined : 'inactive'}>
                    <td data-label={t('users.username')}>
                      <span className="mono">{u.username}</span>
                    </td>
                    <td data-label={t('users.displayName')}>{u.displayName}</td>
                    <td data-label={t('users.role')}>{t(`roles.${u.role}`, { defaultValue: u.role })}</td>
                    <td data-label={t('users.scope')}>
                      <ScopeCell code={u.scopeCode} />
                    </td>
                    <td data-label={t('users.status')}>
                      <span className={`pill ${u.active ? 'pill-ok' : 'pill-off'}`}>
                        {u.active ? t('users.active') : t('users.inactive')}
                      </span>
                    </td>
                    <td className="actions-cell">
                      <div className="btn-group">
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          data-testid={`user-edit-${u.username}`}
                          aria-expanded={expanded === 'edit'}
                          onClick={() => setOpen(expanded === 'edit' ? null : { id, mode: 'edit' })}
                        >
                          {t('users.edit')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          data-testid={`user-reset-${u.username}`}
                          aria-expanded={expanded === 'password'}
                          onClick={() => setOpen(expanded === 'password' ? null : { id, mode: 'password' })}
                        >
                          {t('users.resetPassword')}
                        </button>
                        <button
                          type="button"
                          className={`btn btn-small ${u.active ? 'btn-danger-ghost' : 'btn-secondary'}`}
                          data-testid={`user-toggle-${u.username}`}
                          disabled={isSelf || busyId === id}
                          title={isSelf ? t('users.cannotDeactivateSelf') : undefined}
                          onClick={() => void toggleActive(u)}
                        >
                          {u.active ? t('users.deactivate') : t('users.activate')}
                        </button>
                      </div>
                    </td>
                  </tr>
                  {expanded && (
                    <tr className="expand-row">
                      <td colSpan={6}>
                        {expanded === 'edit' ? (
                          <EditUserForm
                            user={u}
                            onDone={(saved) => {
                              setOpen(null);
                              if (saved) {
                                showNotice(t('users.saved', { name: saved.username }));
                                reload();
                              }
                            }}
                            onError={showError}
                          />
                        ) : (
                          <ResetPasswordForm
                            user={u}
                            onDone={(done) => {
                              setOpen(null);
                              if (done) showNotice(t('users.passwordReset', { name: u.username }));
                            }}
                            onError={showError}
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
      </section>

      <CreateUserForm
        onCreated={(u) => {
          showNotice(t('users.created', { name: u.username }));
          reload();
        }}
        onError={showError}
      />
    </div>
  );
}

const CREATE_FIELDS = ['username', 'displayName', 'role', 'scopeCode', 'password'] as const;

function CreateUserForm({
  onCreated,
  onError,
}: {
  onCreated: (u: ManagedUser) => void;
  onError: (m: string | null) => void;
}) {
  const { t } = useTranslation('web');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('commune_officer');
  const [scopeCode, setScopeCode] = useState('');
  const [password, setPassword] = useState('');
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, CREATE_FIELDS), onBanner: onError });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!username.trim()) fields.username = t('users.usernameRequired');
    if (!displayName.trim()) fields.displayName = t('users.displayNameRequired');
    if (role !== 'admin' && !scopeCode.trim()) fields.scopeCode = t('users.scopeRequired');
    if (password.length < MIN_PASSWORD) fields.password = t('users.passwordTooShort', { min: MIN_PASSWORD });
    if (invalid(fields)) return;
    await send(async () => {
      const created = await accessApi.createUser({
        username: username.trim(),
        displayName: displayName.trim(),
        role,
        scopeCode: scopeCode.trim() || null,
        password,
      });
      setUsername('');
      setDisplayName('');
      setScopeCode('');
      setPassword('');
      onCreated(created);
    });
  }

  const f = errors.fields;
  return (
    <section className="card" aria-labelledby="create-user-title">
      <h2 id="create-user-title">{t('users.createTitle')}</h2>
      <form onSubmit={submit} noValidate>
        <div className="form-grid form-grid-2">
          <TextField
            id="user-username"
            label={t('users.username')}
            error={f.username}
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={setUsername}
          />
          <TextField
            id="user-display-name"
            label={t('users.displayName')}
            error={f.displayName}
            type="text"
            autoComplete="off"
            value={displayName}
            onChange={setDisplayName}
          />
          <Field id="user-role" label={t('users.role')} error={f.role}>
            <RoleSelect id="user-role" testId="user-role" value={role} error={f.role} onChange={setRole} />
          </Field>
          <TextField
            id="user-scope"
            label={t('users.scopeCode')}
            error={f.scopeCode}
            hint={<ScopeHint code={scopeCode} role={role} />}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('users.scopePlaceholder')}
            value={scopeCode}
            onChange={setScopeCode}
          />
          <TextField
            id="user-password"
            label={t('users.password')}
            error={f.password}
            hint={t('users.passwordHint', { min: MIN_PASSWORD })}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
          />
        </div>
        <button type="submit" className="btn btn-primary" data-testid="user-submit" disabled={busy}>
          {busy ? t('common.saving') : t('users.create')}
        </button>
      </form>
    </section>
  );
}

const EDIT_FIELDS = ['displayName', 'role', 'scopeCode'] as const;

function EditUserForm({
  user,
  onDone,
  onError,
}: {
  user: ManagedUser;
  onDone: (saved: ManagedUser | null) => void;
  onError: (m: string | null) => void;
}) {
  const { t } = useTranslation('web');
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [scopeCode, setScopeCode] = useState(user.scopeCode ?? '');
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, EDIT_FIELDS), onBanner: onError });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const patch: { displayName?: string; role?: Role; scopeCode?: string | null } = {};
    if (displayName.trim() !== user.displayName) patch.displayName = displayName.trim();
    if (role !== user.role) patch.role = role;
    const scope = scopeCode.trim() || null;
    if (scope !== (user.scopeCode ?? null)) patch.scopeCode = scope;
    if (Object.keys(patch).length === 0) {
      onDone(null);
      return;
    }
    await send(async () => onDone(await accessApi.updateUser(user.id, patch)));
  }

  const f = errors.fields;
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={t('users.editAria', { name: user.username })}>
      <div className="form-grid">
        <TextField
          id="edit-display-name"
          label={t('users.displayName')}
          error={f.displayName}
          className="grow"
          type="text"
          value={displayName}
          onChange={setDisplayName}
        />
        <Field id="edit-role" label={t('users.role')} error={f.role}>
          <RoleSelect id="edit-role" testId="edit-role" value={role} error={f.role} onChange={setRole} />
        </Field>
        <TextField
          id="edit-scope"
          label={t('users.scopeCode')}
          error={f.scopeCode}
          hint={<ScopeHint code={scopeCode} role={role} />}
          type="text"
          inputMode="numeric"
          value={scopeCode}
          onChange={setScopeCode}
        />
        <div className="field field-submit">
          <div className="btn-group">
            <button type="submit" className="btn btn-primary btn-small" data-testid="edit-submit" disabled={busy}>
              {t('common.save')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => onDone(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      </div>
    </form>
  );
}

function ResetPasswordForm({
  user,
  onDone,
  onError,
}: {
  user: ManagedUser;
  onDone: (done: boolean) => void;
  onError: (m: string | null) => void;
}) {
  const { t } = useTranslation('web');
  const [password, setPassword] = useState('');
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, ['password']), onBanner: onError });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid(password.length < MIN_PASSWORD ? { password: t('users.passwordTooShort', { min: MIN_PASSWORD }) } : {})) return;
    await send(async () => {
      await accessApi.updateUser(user.id, { password });
      onDone(true);
    });
  }

  return (
    <form
      className="inline-form"
      onSubmit={submit}
      noValidate
      aria-label={t('users.resetAria', { name: user.username })}
    >
      <div className="form-grid">
        <TextField
          id="reset-password"
          label={t('users.newPasswordFor', { name: user.username })}
          error={errors.fields.password}
          hint={t('users.passwordHint', { min: MIN_PASSWORD })}
          className="grow"
          type="password"
          autoComplete="new-password"
          autoFocus
          value={password}
          onChange={setPassword}
        />
        <div className="field field-submit">
          <div className="btn-group">
            <button type="submit" className="btn btn-primary btn-small" data-testid="reset-submit" disabled={busy}>
              {t('users.setPassword')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => onDone(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      </div>
    </form>
  );
}
