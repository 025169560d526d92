import type { ComponentStatus, StatusPostState } from '../core/status-page.js';
import type { PublicIncident, StatusIndicator, StatusSummary } from '../respond/comms/status-summary.js';
import { escapeHtml } from '../notify/message-text.js';

/**
 * The public status page as one server-rendered HTML document: no script, no external asset, so
 * it loads when everything else is down. Every text that came from a person goes through
 * `escapeHtml`.
 */


const componentLabel: Readonly<Record<ComponentStatus, string>> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

const stateLabel: Readonly<Record<StatusPostState, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

const indicatorClass: Readonly<Record<StatusIndicator, string>> = { none: 'ok', minor: 'minor', major: 'major', critical: 'critical', maintenance: 'maintenance' };
const componentClass: Readonly<Record<ComponentStatus, string>> = {
  operational: 'ok',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
  under_maintenance: 'maintenance',
};

function when(isoTime: string): string {
  return `<time datetime="${escapeHtml(isoTime)}">${escapeHtml(isoTime.replace('T', ' ').slice(0, 16))} UTC</time>`;
}

function incidentHtml(incident: PublicIncident, open: boolean): string {
  const updates = incident.incident_updates
    .map(
      (u) => `<li><p><strong>${stateLabel[u.status]}</strong> &middot; ${when(u.display_at)}</p><p class="body">${escapeHtml(u.body)}</p>${
        u.affected_components.length === 0
          ? ''
          : `<p class="affected">Affected: ${u.affected_components.map((c) => `${escapeHtml(c.name)} (${componentLabel[c.new_status]})`).join(', ')}</p>`
      }</li>`,
    )
    .join('');
  const summary = `<span class="impact ${escapeHtml(incident.impact)}">${stateLabel[incident.status]}</span> ${escapeHtml(incident.name)}${
    incident.resolved_at === null ? '' : ` <span class="muted when">${escapeHtml(incident.created_at.slice(0, 10))}</span>`
  }`;
  return `<details class="incident" id="incident-${escapeHtml(incident.id)}"${open ? ' open' : ''}><summary>${summary}</summary><ol class="updates">${updates}</ol></details>`;
}

export function renderStatusPage(summary: StatusSummary): string {
  const name = escapeHtml(summary.page.name);
  const components =
    summary.components.length === 0
      ? '<p class="muted">No components listed.</p>'
      : `<ul class="components">${summary.components
          .map(
            (c) =>
              `<li><div><span class="name">${escapeHtml(c.name)}</span>${c.description === '' ? '' : `<span class="muted description">${escapeHtml(c.description)}</span>`}</div><span class="status ${componentClass[c.status]}">${componentLabel[c.status]}</span></li>`,
          )
          .join('')}</ul>`;
  const current = summary.incidents.length === 0 ? '' : `<section><h2>Current incidents</h2>${summary.incidents.map((i) => incidentHtml(i, true)).join('')}</section>`;
  const past =
    summary.past_incidents.length === 0
      ? '<p class="muted">No incidents in the last 90 days.</p>'
      : summary.past_incidents.map((i) => incidentHtml(i, false)).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} status</title>
<link rel="alternate" type="application/json" href="${escapeHtml(summary.page.url)}.json">
<style>
  :root { --ok: #15803d; --minor: #ca8a04; --major: #ea580c; --critical: #dc2626; --maintenance: #2563eb; --muted: #6b7280; --line: #e5e7eb; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; background: #f9fafb; }
  main { max-width: 46rem; margin: 0 auto; padding: 2rem 1rem 4rem; }
  h1 { font-size: 1.6rem; margin: 0 0 1.5rem; }
  h2 { font-size: 1.15rem; margin: 2rem 0 0.75rem; }
  .banner { padding: 1rem 1.25rem; border-radius: 0.5rem; color: #fff; font-weight: 600; font-size: 1.1rem; }
  .banner.ok { background: var(--ok); } .banner.minor { background: var(--minor); } .banner.major { background: var(--major); }
  .banner.critical { background: var(--critical); } .banner.maintenance { background: var(--maintenance); }
  .components { list-style: none; margin: 0; padding: 0; background: #fff; border: 1px solid var(--line); border-radius: 0.5rem; }
  .components li { display: flex; justify-content: space-between; gap: 1rem; padding: 0.75rem 1rem; border-top: 1px solid var(--line); }
  .components li:first-child { border-top: 0; }
  .description { display: block; font-size: 0.875rem; }
  .status { font-weight: 600; white-space: nowrap; }
  .status.ok { color: var(--ok); } .status.minor { color: var(--minor); } .status.major { color: var(--major); }
  .status.critical { color: var(--critical); } .status.maintenance { color: var(--maintenance); }
  .incident { background: #fff; border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.75rem 1rem; margin-bottom: 0.75rem; }
  .incident summary { cursor: pointer; font-weight: 600; }
  .impact { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; margin-right: 0.4rem; color: var(--muted); }
  .impact.minor { color: var(--minor); } .impact.major { color: var(--major); } .impact.critical { color: var(--critical); }
  .updates { list-style: none; margin: 0.75rem 0 0; padding: 0; }
  .updates li { border-left: 3px solid var(--line); padding: 0 0 0.5rem 0.75rem; margin-bottom: 0.5rem; }
  .updates p { margin: 0.15rem 0; } .body { white-space: pre-wrap; } .affected { font-size: 0.875rem; color: var(--muted); }
  .muted { color: var(--muted); } .when { font-weight: 400; font-size: 0.875rem; margin-left: 0.4rem; }
  footer { margin-top: 3rem; font-size: 0.875rem; color: var(--muted); }
</style>
</head>
<body>
<main>
<h1>${name} status</h1>
<p class="banner ${indicatorClass[summary.status.indicator]}" role="status">${escapeHtml(summary.status.description)}</p>
${current}
<section><h2>Components</h2>${components}</section>
<section><h2>Past incidents</h2>${past}</section>
<footer>Times are UTC. Last updated ${when(summary.page.updated_at)}. <a href="${escapeHtml(summary.page.url)}.json">JSON</a></footer>
</main>
</body>
</html>
`;
}
