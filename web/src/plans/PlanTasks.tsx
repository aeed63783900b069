/** A plan's tasks: status (changed in place), overdue and due soon, sub-tasks per commune, notes and evidence; a new task; the table imported from .xlsx. */
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, mapErrors } from '../errors';
import { formatDate } from '../format';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { TextField, Field } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { useLoad } from '../ui/useLoad';
import { fileUrl, plansApi, RECURRENCES, STATUSES, type Plan, type Task, type TaskDetail } from './plansApi';

export function PlanTasks({
  planId,
  plan,
  tasks,
  hasCommunePlans,
  onChanged,
  onError,
  deadlineText,
}: {
  planId: string;
  plan: Plan;
  tasks: Task[];
  hasCommunePlans: boolean;
  onChanged: () => void;
  onError: (message: string) => void;
  deadlineText: (deadline: string, recurrence: Task['recurrence']) => string;
}) {
  const { t } = useTranslation('plans');
  const [open, setOpen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const fail = (err: unknown) => onError(errorMessage(err));

  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('report.tasks')}</h2>
        {plan.canChange && (
          <div className="btn-group">
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setAdding(!adding)} data-testid="task-new">
              {t('web.add_task')}
            </button>
            <label className="btn btn-ghost btn-small">
              {t('web.import')}
              <input
                type="file"
                accept=".xlsx"
                hidden
                data-testid="tasks-import"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) plansApi.importTasks(planId, file).then(onChanged).catch(fail);
                }}
              />
            </label>
          </div>
        )}
      </div>
      {adding && <TaskForm planId={planId} onSaved={() => { setAdding(false); onChanged(); }} onCancel={() => setAdding(false)} />}
      {tasks.length === 0 ? (
        <p className="muted">{t('report.none')}</p>
      ) : (
        <DataTable columns={[t('table.no'), t('table.content'), t('table.responsible'), t('table.deadline'), t('report.status'), { label: '', hidden: true }]} testId="tasks-table">
          {tasks.map((x) => (
            <Fragment key={x.id}>
              <tr data-testid="task-row" data-overdue={x.overdue ? 'true' : 'false'}>
                <td className="num" data-label={t('table.no')}>{x.no}</td>
                <td data-label={t('table.content')}>
                  {x.content}
                  {x.subTasks.total > 0 && <div className="muted small">{t('web.sub_tasks', { done: x.subTasks.done, total: x.subTasks.total })}</div>}
                </td>
                <td data-label={t('table.responsible')}>
                  {x.responsible}
                  {x.coordinating.length > 0 && <div className="muted small">{x.coordinating.join('; ')}</div>}
                </td>
                <td data-label={t('table.deadline')}>
                  {deadlineText(x.deadline, x.recurrence)}
                  {x.recurrence !== 'none' && <div className="muted small">{t('web.next_due')}: {formatDate(x.nextDue)}</div>}
                </td>
                <td data-label={t('report.status')}>
                  {plan.canChange ? (
                    <select className="status-select" aria-label={t('web.change_status')} value={x.status} data-testid="task-status" onChange={(e) => plansApi.setStatus(x.id, e.target.value as Task['status']).then(onChanged).catch(fail)}>
                      {STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {t(`statuses.${s}`)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    t(`statuses.${x.status}`)
                  )}
                  {x.overdue && <div><span className="pill pill-poor" data-testid="task-overdue">{t('report.overdue')}</span></div>}
                  {!x.overdue && x.dueSoon && <div><span className="pill pill-near">{t('report.due_soon')}</span></div>}
                </td>
                <td className="row-actions">
                  <button type="button" className="btn btn-link btn-small" onClick={() => setOpen(open === x.id ? null : x.id)} data-testid="task-open">
                    {t('web.note')}
                  </button>{' '}
                  {plan.canChange && plan.level === 'province' && hasCommunePlans && (
                    <button type="button" className="btn btn-link btn-small" onClick={() => plansApi.split(x.id).then(onChanged).catch(fail)} data-testid="task-split">
                      {t('web.split')}
                    </button>
                  )}
                </td>
              </tr>
              {open === x.id && (
                <tr>
                  <td colSpan={6}>
                    <TaskPanel taskId={x.id} canChange={plan.canChange} onChanged={onChanged} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function TaskForm({ planId, onSaved, onCancel }: { planId: string; onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation('plans');
  const [content, setContent] = useState('');
  const [responsible, setResponsible] = useState('');
  const [coordinating, setCoordinating] = useState('');
  const [deadline, setDeadline] = useState('');
  const [recurrence, setRecurrence] = useState<Task['recurrence']>('none');
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => mapErrors(err, (parts) => (['content', 'responsible', 'coordinating', 'deadline'].includes(parts[0]) ? parts[0] : null)) });
  return (
    <form
      className="form-grid form-grid-2"
      data-testid="task-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send(async () => {
          await plansApi.addTask(planId, { content, responsible, deadline, recurrence, coordinating: coordinating.split(/[;\n]/).map((s) => s.trim()).filter(Boolean) });
          onSaved();
        });
      }}
    >
      <ErrorBanner message={errors.banner} />
      <TextField id="task-content" label={t('table.content')} value={content} onChange={setContent} error={errors.fields.content} className="form-span" required />
      <TextField id="task-responsible" label={t('table.responsible')} value={responsible} onChange={setResponsible} error={errors.fields.responsible} required />
      <TextField id="task-coordinating" label={t('table.coordinating')} value={coordinating} onChange={setCoordinating} hint={t('web.coordinating_hint')} />
      <TextField id="task-deadline" label={t('table.deadline')} value={deadline} onChange={setDeadline} error={errors.fields.deadline} hint={t('web.deadline_hint')} placeholder="2025-11" required />
      <Field id="task-recurrence" label={t('web.recurrence')}>
        <select id="task-recurrence" value={recurrence} onChange={(e) => setRecurrence(e.target.value as Task['recurrence'])}>
          {RECURRENCES.map((r) => (
            <option key={r} value={r}>
              {t(`recurrences.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <div className="btn-group form-span">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="task-save">
          {t('web.save')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          {t('web.cancel')}
        </button>
      </div>
    </form>
  );
}

function TaskPanel({ taskId, canChange, onChanged }: { taskId: string; canChange: boolean; onChanged: () => void }) {
  const { t } = useTranslation('plans');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useLoad((signal) => plansApi.task(taskId, signal), [taskId], setError);
  const done = (d: TaskDetail) => {
    setDetail(d);
    onChanged();
  };
  return (
    <div data-testid="task-panel">
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {detail && (
        <>
          <ul className="small">
            {detail.notes.map((n) => (
              <li key={n.id}>
                {formatDate(n.notedOn)}: {n.note} <span className="muted">({n.createdBy})</span>
              </li>
            ))}
            {detail.fileList.map((f) => (
              <li key={f.id}>
                <a href={fileUrl(taskId, f.id)}>{f.name}</a>
              </li>
            ))}
          </ul>
          {detail.subTaskList.length > 0 && (
            <ul className="small" data-testid="sub-tasks">
              {detail.subTaskList.map((s) => (
                <li key={s.id}>
                  <a href={`#/plans/${s.planId}`}>{s.unitName}</a>: {t(`statuses.${s.status}`)}
                  {s.overdue ? ` · ${t('report.overdue')}` : ''}
                </li>
              ))}
            </ul>
          )}
          {canChange && (
            <div className="form-inline">
              <input aria-label={t('web.note')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="note-text" />
              <button
                type="button"
                className="btn btn-secondary btn-small"
                data-testid="note-add"
                disabled={!note.trim()}
                onClick={() =>
                  plansApi
                    .note(taskId, note)
                    .then((d) => {
                      setNote('');
                      done(d);
                    })
                    .catch((err: unknown) => setError(errorMessage(err)))
                }
              >
                {t('web.add_note')}
              </button>
              <label className="btn btn-ghost btn-small">
                {t('web.evidence')}
                <input
                  type="file"
                  accept="image/jpeg,image/png,application/pdf"
                  hidden
                  data-testid="evidence-file"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    e.target.value = '';
                    if (file) plansApi.attach(taskId, file).then(done).catch((err: unknown) => setError(errorMessage(err)));
                  }}
                />
              </label>
            </div>
          )}
        </>
      )}
    </div>
  );
}
