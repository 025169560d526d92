import { VigilError } from '../../core/errors.js';
import type { ComponentStatus, StatusComponent, StatusPost, StatusPostState } from '../../core/status-page.js';
import type { StoreReader } from '../../core/store.js';

/**
 * The public status page of one service, in the shape of Atlassian Statuspage's `summary.json`
 * (snake_case, ISO times), so tools that read Statuspage pages read Vigil's. It is built only
 * from components and published posts: no alert, note, severity, person or internal id.
 */

export type StatusIndicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
export type IncidentImpact = 'none' | 'minor' | 'major' | 'critical';

export interface PublicComponent {
  readonly id: string;
  readonly page_id: string;
  readonly name: string;
  readonly description: string;
  readonly status: ComponentStatus;
  readonly position: number;
  readonly created_at: string;
  readonly updated_at: string;
  /** Statuspage fields Vigil has no use for, with the values a plain component has. */
  readonly group: false;
  readonly group_id: null;
  readonly showcase: true;
  readonly only_show_if_degraded: false;
}

export interface PublicIncidentUpdate {
  readonly id: string;
  readonly status: StatusPostState;
  readonly body: string;
  readonly created_at: string;
  readonly display_at: string;
  readonly affected_components: readonly { readonly code: string; readonly name: string; readonly new_status: ComponentStatus }[];
}

export interface PublicIncident {
  /** The id of the incident's first post: the internal incident id is not public. */
  readonly id: string;
  readonly page_id: string;
  readonly name: string;
  readonly status: StatusPostState;
  readonly impact: IncidentImpact;
  readonly created_at: string;
  readonly updated_at: string;
  readonly monitoring_at: string | null;
  readonly resolved_at: string | null;
  readonly shortlink: string;
  /** Newest first, as Statuspage lists them. */
  readonly incident_updates: readonly PublicIncidentUpdate[];
  readonly components: readonly PublicComponent[];
}

export interface StatusSummary {
  readonly page: { readonly id: string; readonly name: string; readonly url: string; readonly time_zone: 'Etc/UTC'; readonly updated_at: string };
  readonly status: { readonly indicator: StatusIndicator; readonly description: string };
  readonly components: readonly PublicComponent[];
  /** Incidents not resolved yet. */
  readonly incidents: readonly PublicIncident[];
  /** Incidents resolved in the last `historyDays` days, newest first. */
  readonly past_incidents: readonly PublicIncident[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

const impactByStatus: Readonly<Record<ComponentStatus, IncidentImpact>> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};
const impactRank: readonly IncidentImpact[] = ['none', 'minor', 'major', 'critical'];
const worst = (a: IncidentImpact, b: IncidentImpact): IncidentImpact => (impactRank.indexOf(a) >= impactRank.indexOf(b) ? a : b);

const descriptionByIndicator: Readonly<Record<StatusIndicator, string>> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
  maintenance: 'Service Under Maintenance',
};

/** The path of a service's public page. */
export function statusPagePath(service: string): string {
  return `/status/${encodeURIComponent(service)}`;
}

function presentComponent(c: StatusComponent): PublicComponent {
  return {
    id: c.id,
    page_id: c.service,
    name: c.name,
    description: c.description,
    status: c.status,
    position: c.position,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    group: false,
    group_id: null,
    showcase: true,
    only_show_if_degraded: false,
  };
}

function presentIncident(posts: readonly StatusPost[], components: ReadonlyMap<string, StatusComponent>, service: string): PublicIncident {
  const first = posts[0]!;
  const last = posts.at(-1)!;
  const affectedIds = new Set(posts.flatMap((p) => p.components.map((c) => c.componentId)));
  // The impact is the worst any update reported: a resolved outage stays an outage in history.
  const impact = posts.flatMap((p) => p.components).reduce<IncidentImpact>((acc, c) => worst(acc, impactByStatus[c.status]), 'none');
  const monitoring = posts.find((p) => p.state === 'monitoring');
  return {
    id: first.id,
    page_id: service,
    name: last.title,
    status: last.state,
    impact: impact === 'none' && last.state !== 'resolved' ? 'minor' : impact,
    created_at: iso(first.at),
    updated_at: iso(last.at),
    monitoring_at: monitoring === undefined ? null : iso(monitoring.at),
    resolved_at: last.state === 'resolved' ? iso(last.at) : null,
    shortlink: `${statusPagePath(service)}#incident-${first.id}`,
    incident_updates: [...posts].reverse().map((p) => ({
      id: p.id,
      status: p.state,
      body: p.message,
      created_at: iso(p.at),
      display_at: iso(p.at),
      affected_components: p.components.flatMap((c) => {
        const component = components.get(c.componentId);
        return component === undefined ? [] : [{ code: c.componentId, name: component.name, new_status: c.status }];
      }),
    })),
    components: [...affectedIds].flatMap((id) => {
      const component = components.get(id);
      return component === undefined ? [] : [presentComponent(component)];
    }),
  };
}

/**
 * The summary of `service`'s status page at `now`, with `historyDays` of resolved incidents.
 * NOT_FOUND when the service has neither components nor posts: no page was ever set up for it.
 */
export async function statusSummary(reader: StoreReader, request: { service: string; now: number; historyDays?: number }): Promise<StatusSummary> {
  const { service, now } = request;
  const since = now - (request.historyDays ?? 90) * DAY;
  const components = await reader.listStatusComponents(service);
  const posts = await reader.listStatusPostsOfService(service, since);
  if (components.length === 0 && posts.length === 0) throw new VigilError('NOT_FOUND', `no status page for ${service}`);

  const byId = new Map(components.map((c) => [c.id, c]));
  const byIncident = new Map<string, StatusPost[]>();
  for (const post of posts) byIncident.set(post.incidentId, [...(byIncident.get(post.incidentId) ?? []), post]);
  const incidents = [...byIncident.values()].map((list) => presentIncident(list, byId, service));
  const current = incidents.filter((i) => i.status !== 'resolved').sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  const past = incidents.filter((i) => i.status === 'resolved' && Date.parse(i.resolved_at!) >= since).sort((a, b) => b.resolved_at!.localeCompare(a.resolved_at!));

  let indicator: StatusIndicator = components.reduce<IncidentImpact>((acc, c) => worst(acc, impactByStatus[c.status]), 'none');
  for (const incident of current) indicator = worst(indicator, incident.impact);
  if (indicator === 'none' && components.some((c) => c.status === 'under_maintenance')) indicator = 'maintenance';

  const updatedAt = Math.max(0, ...components.map((c) => c.updatedAt), ...posts.map((p) => p.at));
  return {
    page: { id: service, name: service, url: statusPagePath(service), time_zone: 'Etc/UTC', updated_at: iso(updatedAt) },
    status: { indicator, description: descriptionByIndicator[indicator] },
    components: components.map(presentComponent),
    incidents: current,
    past_incidents: past,
  };
}
