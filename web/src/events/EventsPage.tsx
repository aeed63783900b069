/**
 * Outreach events (#/events[/ID]): the events of the user's area (a commune officer's commune, province
 * staff's province) with totals and a form for a new one; an event's page with its attendees (found in
 * the register by name), who of them enrolled within 30 days after it (the conversion), and its evidence
 * files (photos or PDF, 10 MB at most).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { campaignsApi, type Campaign } from '../campaigns/campaignsApi';
import { errorMessage, splitErrors } from '../errors';
import { formatDate, formatNumber, formatPct, formatVnd, parseDayMonthYear, parseVnd, parseWhole } from '../format';
import { navigate } from '../router';
import { DayInput } from '../register/HouseholdBits';
import { registerApi, type PersonHit } from '../register/registerApi';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { UnitPicker } from '../units/UnitPicker';
import { unitsApi, type Unit } from '../units/unitsApi';
import { EVENT_KINDS, eventsApi, fileUrl, type EventDetail, type EventKind } from './eventsApi';
import { useLoad } from '../ui/useLoad';

const FIELDS = ['kind', 'heldOn', 'communeCode', 'villageCode', 'place', 'organiser', 'campaignId', 'attendance', 'leaflets', 'consultations', 'cost', 'note', 'attendees'] as const;
const canChange = (user: User) => user.role === 'admin' || user.role === 'province_staff' || user.role === 'commune_officer';

export function EventsPage({ user, id }: { user: User; id?: string }) {
  return id ? <EventPage user={user} id={id} /> : <EventListPage user={user} />;
}

function EventListPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation('events');
  const lang = i18n.language;
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [campaign, setCampaign] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    campaignsApi
      .list(controller.signal)
      .then(setCampaigns)
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  const [list] = useLoad((signal) => eventsApi.list(campaign ? { campaign } : {}, signal), [campaign], setError);

  const tt = list?.totals;
  return (
    <div data-testid="events-page">
      <div className="card-head">
        <h1>{t('web.title')}</h1>
        {canChange(user) && !creating && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="event-new">
            {t('web.new')}
          </button>
        )}
      </div>
      <p className="muted">{t('web.intro')}</p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {creating && (
        <section className="card">
          <h2>{t('web.new')}</h2>
          <EventForm defaultCommune={user.scopeCode} onCancel={() => setCreating(false)} onSaved={(e) => navigate('events', e.id)} />
        </section>
      )}
      <section className="card">
        {campaigns.length > 0 && (
          <Field id="events-campaign" label={t('web.of_campaign')}>
            <select id="events-campaign" data-testid="events-campaign" value={campaign} onChange={(e) => setCampaign(e.target.value)}>
              <option value="">{t('web.all_events')}</option>
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.unitName})
                </option>
              ))}
            </select>
          </Field>
        )}
        {list && list.events.length === 0 && <p className="muted">{t('web.none')}</p>}
        {list && tt && list.events.length > 0 && (
          <>
            <p data-testid="events-totals">
              {t('web.totals', {
                events: formatNumber(tt.events, lang),
                attendance: formatNumber(tt.attendance, lang),
                leaflets: formatNumber(tt.leaflets, lang),
                consultations: formatNumber(tt.consultations, lang),
                cost: formatVnd(tt.cost),
                enrolled: formatNumber(tt.enrolled, lang),
                attendees: formatNumber(tt.attendees, lang),
              })}
            </p>
            <DataTable
              columns={[
                t('web.held_on'),
                t('web.kind'),
                t('web.place'),
                t('web.campaign'),
                { label: t('web.attendance'), className: 'num' },
                { label: t('web.leaflets'), className: 'num' },
                { label: t('web.consultations'), className: 'num' },
                { label: t('web.cost'), className: 'num' },
                { label: t('web.conversion'), className: 'num' },
              ]}
              testId="events-table"
            >
              {list.events.map((e) => (
                <tr key={e.id} data-testid="event-row">
                  <td>
                    <a href={`#/events/${e.id}`}>{formatDate(e.heldOn)}</a>
                  </td>
                  <td>{t(`kinds.${e.kind}`)}</td>
                  <td>{[e.villageName ?? e.communeName, e.place].filter(Boolean).join(' — ')}</td>
                  <td>{e.campaignName ?? ''}</td>
                  <td className="num">{e.attendance === null ? '' : formatNumber(e.attendance, lang)}</td>
                  <td className="num">{formatNumber(e.leaflets, lang)}</td>
                  <td className="num">{formatNumber(e.consultations, lang)}</td>
                  <td className="num">{formatVnd(e.cost)}</td>
                  <td className="num">
                    {e.attribution.attendees > 0 ? `${formatNumber(e.attribution.enrolled, lang)}/${formatNumber(e.attribution.attendees, lang)} (${formatPct(e.attribution.pct, lang)})` : ''}
                  </td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </section>
    </div>
  );
}

function EventForm({ defaultCommune, onCancel, onSaved }: { defaultCommune: string | null; onCancel: () => void; onSaved: (e: EventDetail) => void }) {
  const { t } = useTranslation('events');
  const [commune, setCommune] = useState<string | null>(defaultCommune);
  const [kind, setKind] = useState<EventKind>('dialogue_conference');
  const [heldOn, setHeldOn] = useState('');
  const [village, setVillage] = useState('');
  const [place, setPlace] = useState('');
  const [organiser, setOrganiser] = useState('');
  const [campaign, setCampaign] = useState('');
  const [counts, setCounts] = useState({ attendance: '', leaflets: '', consultations: '', cost: '' });
  const [note, setNote] = useState('');
  const [villages, setVillages] = useState<Unit[]>([]);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIELDS) });

  useEffect(() => {
    const controller = new AbortController();
    campaignsApi
      .list(controller.signal)
      .then(setCampaigns)
      .catch(() => undefined);
    if (commune)
      unitsApi
        .children(commune, controller.signal)
        .then((units) => setVillages(units.filter((u) => u.level === 'village')))
        .catch(() => setVillages([]));
    return () => controller.abort();
  }, [commune]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    const day = parseDayMonthYear(heldOn);
    if (!day) found.heldOn = t('web.bad_date');
    if (!commune) found.communeCode = t('web.pick_commune');
    const whole = (key: 'attendance' | 'leaflets' | 'consultations') => {
      if (!counts[key].trim()) return undefined;
      const n = parseWhole(counts[key]);
      if (n === null) found[key] = t('web.bad_number');
      return n ?? undefined;
    };
    const attendance = whole('attendance');
    const leaflets = whole('leaflets');
    const consultations = whole('consultations');
    const cost = counts.cost.trim() ? parseVnd(counts.cost) : 0;
    if (cost === null) found.cost = t('web.bad_number');
    if (invalid(found)) return;
    await send(async () => {
      onSaved(
        await eventsApi.create({
          kind,
          heldOn: day!,
          communeCode: commune!,
          villageCode: village || null,
          place: place || null,
          organiser: organiser || null,
          campaignId: campaign || null,
          attendance: attendance ?? null,
          leaflets,
          consultations,
          cost: cost ?? 0,
          note: note || null,
        }),
      );
    });
  }

  const f = errors.fields;
  const setCount = (key: keyof typeof counts) => (v: string) => setCounts({ ...counts, [key]: v });
  return (
    <form className="card-inset" onSubmit={submit} noValidate data-testid="event-form">
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-2">
        <Field id="event-kind" label={t('web.kind')} error={f.kind}>
          <select id="event-kind" data-testid="event-kind" value={kind} onChange={(e) => setKind(e.target.value as EventKind)}>
            {EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="event-date" label={t('web.held_on')} error={f.heldOn}>
          <DayInput id="event-date" testId="event-date" value={heldOn} error={f.heldOn} onChange={setHeldOn} />
        </Field>
        <Field id="event-commune" label={t('web.commune')} error={f.communeCode}>
          <UnitPicker id="event-commune" codes={commune ? [commune] : []} levels={['commune']} error={f.communeCode} onChange={(codes) => setCommune(codes[0] ?? null)} />
        </Field>
        <Field id="event-village" label={t('web.village')} error={f.villageCode}>
          <select id="event-village" data-testid="event-village" value={village} onChange={(e) => setVillage(e.target.value)}>
            <option value="">—</option>
            {villages.map((v) => (
              <option key={v.code} value={v.code}>
                {v.name}
              </option>
            ))}
          </select>
        </Field>
        <TextField id="event-place" label={t('web.place')} error={f.place} value={place} onChange={setPlace} maxLength={300} />
        <TextField id="event-organiser" label={t('web.organiser')} error={f.organiser} value={organiser} onChange={setOrganiser} maxLength={200} />
        <Field id="event-campaign" label={t('web.campaign')} error={f.campaignId}>
          <select id="event-campaign" data-testid="event-campaign" value={campaign} onChange={(e) => setCampaign(e.target.value)}>
            <option value="">—</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.unitName})
              </option>
            ))}
          </select>
        </Field>
        <TextField id="event-attendance" label={t('web.attendance')} hint={t('web.attendance_hint')} error={f.attendance} value={counts.attendance} onChange={setCount('attendance')} inputMode="numeric" maxLength={8} />
        <TextField id="event-leaflets" label={t('web.leaflets')} error={f.leaflets} value={counts.leaflets} onChange={setCount('leaflets')} inputMode="numeric" maxLength={8} />
        <TextField id="event-consultations" label={t('web.consultations')} error={f.consultations} value={counts.consultations} onChange={setCount('consultations')} inputMode="numeric" maxLength={8} />
        <TextField id="event-cost" label={t('web.cost')} error={f.cost} value={counts.cost} onChange={setCount('cost')} inputMode="numeric" maxLength={16} />
        <TextField id="event-note" label={t('web.note')} error={f.note} value={note} onChange={setNote} maxLength={2000} />
      </div>
      <div className="btn-group">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="event-save">
          {t('web.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('web.cancel')}
        </button>
      </div>
    </form>
  );
}

function EventPage({ user, id }: { user: User; id: string }) {
  const { t, i18n } = useTranslation('events');
  const lang = i18n.language;
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<PersonHit[]>([]);

  const [event, setEvent] = useLoad((signal) => eventsApi.get(id, signal), [id], setError);

  const act = async (action: () => Promise<EventDetail>, message?: string) => {
    setError(null);
    setNotice(null);
    try {
      setEvent(await action());
      if (message) setNotice(message);
    } catch (err) {
      // a refused file or person: the field's message (why), not only "invalid data"
      const { fields, banner } = splitErrors(err, ['file', 'add', 'remove', 'attendees']);
      setError(Object.values(fields).join('; ') || banner || errorMessage(err));
    }
  };

  async function search(e: FormEvent) {
    e.preventDefault();
    if (!event || q.trim().length < 2) return;
    try {
      setHits((await registerApi.registerPersons({ q: q.trim(), limit: 20, offset: 0, unit: event.communeCode })).items);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (!event) return <ErrorBanner message={error} />;
  const mayChange = canChange(user) && event.canChange;
  const listed = new Set(event.attendees.map((a) => a.personId));
  const a = event.attribution;
  return (
    <div data-testid="event-page">
      <p>
        <a href="#/events">{t('web.back')}</a>
      </p>
      <h1>
        {t(`kinds.${event.kind}`)} — {formatDate(event.heldOn)}
      </h1>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} />
      <section className="card">
        <dl className="facts">
          <dt>{t('web.place')}</dt>
          <dd>{[event.villageName, event.communeName, event.place].filter(Boolean).join(' — ')}</dd>
          <dt>{t('web.organiser')}</dt>
          <dd>{event.organiser ?? '—'}</dd>
          <dt>{t('web.campaign')}</dt>
          <dd>{event.campaignId ? <a href={`#/campaigns/${event.campaignId}`}>{event.campaignName}</a> : '—'}</dd>
          <dt>{t('web.attendance')}</dt>
          <dd>{event.attendance === null ? '—' : formatNumber(event.attendance, lang)}</dd>
          <dt>{t('web.leaflets')}</dt>
          <dd>{formatNumber(event.leaflets, lang)}</dd>
          <dt>{t('web.consultations')}</dt>
          <dd>{formatNumber(event.consultations, lang)}</dd>
          <dt>{t('web.cost')}</dt>
          <dd>{formatVnd(event.cost)}</dd>
          {event.note && (
            <>
              <dt>{t('web.note')}</dt>
              <dd>{event.note}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="card" data-testid="event-attendees">
        <h2>{t('web.attendees')}</h2>
        <p data-testid="event-conversion">
          {t('web.conversion_line', { enrolled: formatNumber(a.enrolled, lang), attendees: formatNumber(a.attendees, lang), days: a.days, pct: formatPct(a.pct, lang) })}
        </p>
        {event.attendees.length > 0 && (
          <DataTable columns={[t('web.name'), t('web.birth_date'), t('web.household'), t('web.enrolled'), '']} testId="attendees-table">
            {event.attendees.map((p) => (
              <tr key={p.personId} data-testid="attendee-row">
                <td>{p.fullName}</td>
                <td>{formatDate(p.birthDate)}</td>
                <td>{[p.householdCode, p.villageName].filter(Boolean).join(' — ')}</td>
                <td>
                  {[p.bhytFrom && t('web.enrolled_bhyt', { date: formatDate(p.bhytFrom) }), p.vsiFrom && t('web.enrolled_vsi', { date: formatDate(p.vsiFrom) })].filter(Boolean).join('; ')}
                </td>
                <td>
                  {mayChange && (
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => act(() => eventsApi.attendees(id, { remove: [p.personId] }))}>
                      {t('web.remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {mayChange && (
          <form className="inline-form" onSubmit={search} data-testid="attendee-search">
            <input aria-label={t('web.search')} placeholder={t('web.search')} value={q} onChange={(e) => setQ(e.target.value)} maxLength={100} data-testid="attendee-q" />
            <button type="submit" className="btn btn-secondary btn-small">
              {t('web.find')}
            </button>
          </form>
        )}
        {mayChange && hits.length > 0 && (
          <ul className="plain-list" data-testid="attendee-hits">
            {hits.map((h) => (
              <li key={h.id}>
                {h.fullName} ({formatDate(h.birthDate)}, {h.householdCode}
                {h.villageName ? `, ${h.villageName}` : ''}){' '}
                {listed.has(h.id) ? (
                  <span className="muted">{t('web.listed')}</span>
                ) : (
                  <button type="button" className="btn btn-secondary btn-small" data-testid="attendee-add" onClick={() => act(() => eventsApi.attendees(id, { add: [h.id] }))}>
                    {t('web.add')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {mayChange && (
        <p>
          <button
            type="button"
            className="btn btn-ghost"
            data-testid="event-delete"
            onClick={() => {
              if (!window.confirm(t('web.delete_confirm'))) return;
              eventsApi
                .remove(id)
                .then(() => navigate('events'))
                .catch((err: unknown) => setError(errorMessage(err)));
            }}
          >
            {t('web.delete')}
          </button>
        </p>
      )}
      <section className="card" data-testid="event-files">
        <h2>{t('web.files')}</h2>
        <p className="muted small">{t('web.files_hint')}</p>
        <ul className="plain-list">
          {event.fileList.map((file) => (
            <li key={file.id}>
              <a href={fileUrl(id, file.id)} target="_blank" rel="noreferrer">
                {file.name}
              </a>{' '}
              <span className="muted">({formatNumber(Math.ceil(file.size / 1024), lang)} KB)</span>{' '}
              {mayChange && (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => act(() => eventsApi.removeFile(id, file.id))}>
                  {t('web.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
        {mayChange && (
          <input
            type="file"
            accept="image/jpeg,image/png,application/pdf"
            aria-label={t('web.upload')}
            data-testid="event-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void act(() => eventsApi.attach(id, file), t('web.uploaded', { name: file.name }));
            }}
          />
        )}
      </section>
    </div>
  );
}
