import { useEffect, useState } from 'react';
import { severities, type IncidentList as IncidentListAnswer } from './api-types';
import { SeverityBadge, StatusBadge } from './badges';
import { age, clock } from './format';
import { Link, navigate } from './router';
import { useSession } from './session';
import { usePolling } from './use-polling';

/** The status filter's choices and the API's `status` list each one asks for. */
const statusChoices: ReadonlyArray<{ value: string; label: string; statuses: string | undefined }> = [
  { value: 'open', label: 'Open (triggered, acknowledged)', statuses: 'triggered,acknowledged' },
  { value: 'triggered', label: 'Triggered', statuses: 'triggered' },
  { value: 'acknowledged', label: 'Acknowledged', statuses: 'acknowledged' },
  { value: 'resolved', label: 'Resolved', statuses: 'resolved' },
  { value: 'all', label: 'All', statuses: undefined },
];

const pageSize = 100;

interface Filters {
  readonly status: string;
  readonly severity: string;
  readonly service: string;
  readonly before: string;
}

function filtersOf(query: URLSearchParams): Filters {
  return {
    status: query.get('status') ?? 'open',
    severity: query.get('severity') ?? '',
    service: query.get('service') ?? '',
    before: query.get('before') ?? '',
  };
}

/** The console's URL for these filters, so a filtered list can be reloaded and shared. */
function pageUrl(filters: Filters): string {
  const query = new URLSearchParams();
  if (filters.status !== 'open') query.set('status', filters.status);
  if (filters.severity !== '') query.set('severity', filters.severity);
  if (filters.service !== '') query.set('service', filters.service);
  if (filters.before !== '') query.set('before', filters.before);
  const text = query.toString();
  return text === '' ? '/' : `/?${text}`;
}

function apiUrl(filters: Filters): string {
  const query = new URLSearchParams({ limit: String(pageSize) });
  const statuses = statusChoices.find((choice) => choice.value === filters.status)?.statuses;
  if (statuses !== undefined) query.set('status', statuses);
  if (filters.severity !== '') query.set('severity', filters.severity);
  if (filters.service !== '') query.set('service', filters.service);
  if (filters.before !== '') query.set('before', filters.before);
  return `/api/v1/incidents?${query.toString()}`;
}

/** Incidents, newest first, with filters kept in the URL; refreshed every 5 s. */
export function IncidentList(props: { query: URLSearchParams }) {
  const { api } = useSession();
  const filters = filtersOf(props.query);
  const url = apiUrl(filters);
  const { data, error, loadedAt } = usePolling(() => api.get<IncidentListAnswer>(url), { key: url, intervalMs: 5_000 });

  // The service box filters as one types, once typing pauses.
  const [service, setService] = useState(filters.service);
  useEffect(() => setService(filters.service), [filters.service]);
  const { status, severity } = filters;
  const appliedService = filters.service;
  useEffect(() => {
    const wanted = service.trim();
    if (wanted === appliedService) return undefined;
    const timer = window.setTimeout(() => navigate(pageUrl({ status, severity, service: wanted, before: '' }), { replace: true }), 300);
    return () => window.clearTimeout(timer);
  }, [service, appliedService, status, severity]);

  const change = (patch: Partial<Filters>) => navigate(pageUrl({ ...filters, before: '', ...patch }), { replace: true });
  const now = loadedAt ?? Date.now();

  return (
    <section>
      <div className="page-head">
        <h1>Incidents</h1>
        <p className="muted refresh" aria-live="polite">
          {loadedAt === undefined ? 'Loading…' : `Updated ${clock(loadedAt)} · refreshes every 5 s`}
        </p>
      </div>
      <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filters">
        <label>
          Status
          <select value={filters.status} onChange={(event) => change({ status: event.target.value })}>
            {statusChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select value={filters.severity} onChange={(event) => change({ severity: event.target.value })}>
            <option value="">All</option>
            <option value="SEV1,SEV2">SEV1 and SEV2</option>
            {severities.map((severity) => (
              <option key={severity} value={severity}>
                {severity}
              </option>
            ))}
          </select>
        </label>
        <label>
          Service
          <input type="search" value={service} placeholder="any service" onChange={(event) => setService(event.target.value)} />
        </label>
      </form>
      {error === undefined ? null : (
        <p className="error" role="alert">
          Could not load the incidents: {error}
        </p>
      )}
      {data === undefined ? null : data.incidents.length === 0 ? (
        <p className="empty">No incidents match these filters.</p>
      ) : (
        <table className="incidents">
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Service</th>
              <th scope="col">Title</th>
              <th scope="col">Assignee</th>
              <th scope="col" className="num">
                Age
              </th>
              <th scope="col" className="num">
                Alerts
              </th>
            </tr>
          </thead>
          <tbody>
            {data.incidents.map((incident) => (
              <tr key={incident.id}>
                <td>
                  <Link to={`/incidents/${incident.shortId}`} className="short-id">
                    {incident.shortId}
                  </Link>
                </td>
                <td>
                  <SeverityBadge severity={incident.severity} />
                </td>
                <td>
                  <StatusBadge status={incident.status} />
                </td>
                <td>{incident.service}</td>
                <td className="title">
                  <Link to={`/incidents/${incident.shortId}`}>{incident.title}</Link>
                </td>
                <td>{incident.assignee ?? <span className="muted">—</span>}</td>
                <td className="num" title={incident.createdAt}>
                  {age(incident.createdAt, now)}
                </td>
                <td className="num">{incident.alertCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="pager">
        {filters.before === '' ? null : <Link to={pageUrl({ ...filters, before: '' })}>← Newest</Link>}
        {data?.next == null ? null : <Link to={pageUrl({ ...filters, before: String(data.next.before) })}>Older incidents →</Link>}
      </p>
    </section>
  );
}
