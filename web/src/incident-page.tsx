import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, describeError } from './api-client';
import { severities, type Alert, type Incident, type IncidentDetail, type Severity, type Timeline, type TimelineEntry } from './api-types';
import { SeverityBadge, StatusBadge } from './badges';
import { clock, utcTime } from './format';
import { Link } from './router';
import { useSession } from './session';
import { usePolling } from './use-polling';

interface Loaded extends IncidentDetail {
  readonly timeline: readonly TimelineEntry[];
}

/** One incident: its fields, the actions a responder takes, its alerts and its timeline. */
export function IncidentPage(props: { id: string }) {
  const { api } = useSession();
  const path = `/api/v1/incidents/${encodeURIComponent(props.id)}`;
  const { data, error, loadedAt, refresh } = usePolling(
    async (): Promise<Loaded> => {
      const [detail, timeline] = await Promise.all([api.get<IncidentDetail>(path), api.get<Timeline>(`${path}/timeline`)]);
      return { ...detail, timeline: timeline.entries };
    },
    { key: path, intervalMs: 5_000 },
  );

  if (data === undefined) {
    return (
      <section>
        <p>
          <Link to="/">← Incidents</Link>
        </p>
        {error === undefined ? (
          <p className="muted">Loading {props.id}…</p>
        ) : (
          <p className="error" role="alert">
            Could not load {props.id}: {error}
          </p>
        )}
      </section>
    );
  }

  const { incident, alerts, timeline } = data;
  return (
    <section>
      <p className="crumbs">
        <Link to="/">← Incidents</Link>
        <span className="muted refresh">{loadedAt === undefined ? '' : `Updated ${clock(loadedAt)} · refreshes every 5 s`}</span>
      </p>
      <div className="incident-head">
        <h1>
          <span className="short-id">{incident.shortId}</span> {incident.title}
        </h1>
        <div className="badges">
          <SeverityBadge severity={incident.severity} />
          <StatusBadge status={incident.status} />
        </div>
      </div>
      {error === undefined ? null : (
        <p className="error" role="alert">
          Could not refresh: {error}
        </p>
      )}
      <div className="columns">
        <Fields incident={incident} />
        <Actions incident={incident} onChanged={refresh} />
      </div>
      <h2>Alerts ({alerts.length})</h2>
      <AlertTable alerts={alerts} />
      <h2>Timeline</h2>
      <TimelineTable entries={timeline} />
    </section>
  );
}

function Time(props: { iso: string | null }) {
  return props.iso === null ? <span className="muted">—</span> : <span className="time">{utcTime(props.iso)}</span>;
}

function Fields(props: { incident: Incident }) {
  const i = props.incident;
  const rows: Array<[string, ReactNode]> = [
    ['Service', i.service],
    ['Group key', <code>{i.groupKey}</code>],
    ['Assignee', i.assignee ?? <span className="muted">nobody</span>],
    ['Alerts', i.alertCount],
    ['Created', <Time iso={i.createdAt} />],
    ['Acknowledged', <Time iso={i.acknowledgedAt} />],
    ['Resolved', <Time iso={i.resolvedAt} />],
    ['Reopened', <Time iso={i.reopenedAt} />],
    ['Last alert', <Time iso={i.lastAlertAt} />],
    ['Updated', <Time iso={i.updatedAt} />],
    ['Id', <code>{i.id}</code>],
  ];
  return (
    <dl className="fields panel">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

type Outcome = { readonly kind: 'ok' | 'error'; readonly text: string };

/** Acknowledge, resolve, reopen, assign, set severity, add a note: each calls the API, then reloads. */
function Actions(props: { incident: Incident; onChanged: () => void }) {
  const { api, readOnly, markReadOnly, changed } = useSession();
  const { incident } = props;
  const path = `/api/v1/incidents/${encodeURIComponent(incident.shortId)}`;
  const [pending, setPending] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [assignee, setAssignee] = useState('');
  const [severity, setSeverity] = useState<Severity>(incident.severity);
  const [severityReason, setSeverityReason] = useState('');
  const [note, setNote] = useState('');
  // The severity box follows the incident when an alert or another person changes it.
  useEffect(() => setSeverity(incident.severity), [incident.severity]);

  const locked = pending !== undefined || readOnly !== undefined;

  const run = (options: { label: string; done: string; action: string; body: unknown; then?: () => void }) => {
    setPending(options.label);
    setOutcome(undefined);
    api
      .post(`${path}/${options.action}`, options.body)
      .then(
        () => {
          setOutcome({ kind: 'ok', text: `${options.done}.` });
          options.then?.();
          changed();
        },
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 403) markReadOnly(`${error.message}. Actions are disabled for this token.`);
          setOutcome({ kind: 'error', text: `${options.label} failed: ${describeError(error)}` });
        },
      )
      .finally(() => {
        setPending(undefined);
        props.onChanged();
      });
  };

  const withReason = (text: string) => (text.trim() === '' ? {} : { reason: text.trim() });
  const submitNote = (event: FormEvent) => {
    event.preventDefault();
    run({ label: 'Add note', done: 'Note added', action: 'notes', body: { text: note }, then: () => setNote('') });
  };
  const submitAssign = (event: FormEvent) => {
    event.preventDefault();
    run({ label: 'Assign', done: `Assigned to ${assignee.trim()}`, action: 'assign', body: { assignee: assignee.trim() }, then: () => setAssignee('') });
  };
  const submitSeverity = (event: FormEvent) => {
    event.preventDefault();
    run({ label: 'Set severity', done: `Severity set to ${severity}`, action: 'severity', body: { severity, ...withReason(severityReason) }, then: () => setSeverityReason('') });
  };

  return (
    <div className="actions panel" aria-label="Actions">
      <h2>Actions</h2>
      {readOnly === undefined ? null : <p className="muted">Your token can read but not act.</p>}
      <div className="action-group">
        <label htmlFor="reason">Reason (optional)</label>
        <input id="reason" value={reason} onChange={(event) => setReason(event.target.value)} placeholder="why, for the timeline" />
        <div className="buttons">
          <button
            type="button"
            disabled={locked || incident.status !== 'triggered'}
            onClick={() => run({ label: 'Acknowledge', done: 'Acknowledged', action: 'acknowledge', body: withReason(reason), then: () => setReason('') })}
          >
            Acknowledge
          </button>
          <button
            type="button"
            disabled={locked || incident.status === 'resolved'}
            onClick={() => run({ label: 'Resolve', done: 'Resolved', action: 'resolve', body: withReason(reason), then: () => setReason('') })}
          >
            Resolve
          </button>
          <button
            type="button"
            disabled={locked || incident.status !== 'resolved'}
            onClick={() => run({ label: 'Reopen', done: 'Reopened', action: 'reopen', body: withReason(reason), then: () => setReason('') })}
          >
            Reopen
          </button>
        </div>
      </div>
      <form className="action-group" onSubmit={submitAssign}>
        <label htmlFor="assignee">Assignee</label>
        <div className="inline">
          <input id="assignee" value={assignee} onChange={(event) => setAssignee(event.target.value)} placeholder={incident.assignee ?? 'a name'} />
          <button type="submit" disabled={locked || assignee.trim() === ''}>
            Assign
          </button>
          <button
            type="button"
            disabled={locked || incident.assignee === null}
            onClick={() => run({ label: 'Unassign', done: 'Unassigned', action: 'assign', body: { assignee: null } })}
          >
            Unassign
          </button>
        </div>
      </form>
      <form className="action-group" onSubmit={submitSeverity}>
        <label htmlFor="severity">Severity</label>
        <div className="inline">
          <select id="severity" value={severity} onChange={(event) => setSeverity(event.target.value as Severity)}>
            {severities.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <input aria-label="Severity reason (optional)" value={severityReason} onChange={(event) => setSeverityReason(event.target.value)} placeholder="reason (optional)" />
          <button type="submit" disabled={locked || severity === incident.severity}>
            Set severity
          </button>
        </div>
      </form>
      <form className="action-group" onSubmit={submitNote}>
        <label htmlFor="note">Note</label>
        <textarea id="note" rows={3} value={note} onChange={(event) => setNote(event.target.value)} placeholder="what you saw, what you did" />
        <div className="buttons">
          <button type="submit" disabled={locked || note.trim() === ''}>
            Add note
          </button>
        </div>
      </form>
      <p className={`outcome ${outcome?.kind ?? ''}`} role={outcome?.kind === 'error' ? 'alert' : 'status'}>
        {pending === undefined ? (outcome?.text ?? '') : `${pending}…`}
      </p>
    </div>
  );
}

function AlertTable(props: { alerts: readonly Alert[] }) {
  if (props.alerts.length === 0) return <p className="empty">No alerts.</p>;
  return (
    <table className="alerts">
      <thead>
        <tr>
          <th scope="col">Summary</th>
          <th scope="col">Source</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Count
          </th>
          <th scope="col">Last seen (UTC)</th>
          <th scope="col">Labels</th>
        </tr>
      </thead>
      <tbody>
        {props.alerts.map((alert) => (
          <tr key={alert.id}>
            <td title={`dedup key: ${alert.dedupKey}`}>{alert.summary}</td>
            <td>{alert.source}</td>
            <td>
              <StatusBadge status={alert.status === 'firing' ? 'firing' : 'resolved'} />
            </td>
            <td className="num">{alert.count}</td>
            <td className="time">{utcTime(alert.lastSeenAt)}</td>
            <td>
              <ul className="labels">
                {Object.entries(alert.labels).map(([name, value]) => (
                  <li key={name}>
                    {name}={value}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function actorText(entry: TimelineEntry): string {
  return entry.actor.kind === 'system' ? 'vigil' : `${entry.actor.name} (${entry.actor.kind})`;
}

function TimelineTable(props: { entries: readonly TimelineEntry[] }) {
  if (props.entries.length === 0) return <p className="empty">Nothing on the timeline yet.</p>;
  return (
    <table className="timeline" aria-label="Timeline">
      <thead>
        <tr>
          <th scope="col">Time (UTC)</th>
          <th scope="col">Actor</th>
          <th scope="col">What</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((entry) => (
          <tr key={entry.id} className={`kind-${entry.kind.replace('.', '-')}`}>
            <td className="time">{utcTime(entry.at)}</td>
            <td>{actorText(entry)}</td>
            <td>
              <span className="kind">{entry.kind}</span> {entry.message}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
