import type { IncidentNotification, Notification } from '../core/notifier.js';

/** `[SEV1] INC-42 Hot wallet drained`, or `[Vigil] Silence ends in 15 min`: the line every channel leads with. */
export function headline(n: Notification): string {
  return n.about === 'notice' ? `[Vigil] ${n.title}` : `[${n.severity}] ${n.incidentRef} ${n.title}`;
}

/** `INC-42` or `silence 01JD…`: what the message is about, for link texts. */
export function subjectOf(n: Notification): string {
  return n.about === 'notice' ? n.subject : n.incidentRef;
}

/** A colour for the message: by severity for an incident, neutral for a notice. */
export function colourOf(n: Notification): number {
  return n.about === 'notice' ? 0x607d8b : severityColour[n.severity];
}

/** The facts every message carries, as label and value. */
export function facts(n: Notification): { label: string; value: string }[] {
  if (n.about === 'notice') return [...n.facts, { label: 'Reason', value: n.reason }];
  return [
    { label: 'Severity', value: n.severity },
    { label: 'Status', value: n.status },
    { label: 'Service', value: n.service },
    { label: 'Reason', value: n.reason },
  ];
}

/** The whole message as plain text (email body, Telegram, Slack fallback). */
export function plainText(n: Notification): string {
  const lines = [headline(n), ...facts(n).map((f) => `${f.label}: ${f.value}`)];
  if (n.url !== null) lines.push(`Open: ${n.url}`);
  return lines.join('\n');
}

/** Escapes text for HTML (email, Telegram's HTML parse mode). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A colour per severity, for Discord embeds and the email's band. */
export const severityColour: Readonly<Record<IncidentNotification['severity'], number>> = {
  SEV1: 0xd32f2f,
  SEV2: 0xf57c00,
  SEV3: 0xfbc02d,
  SEV4: 0x1976d2,
  SEV5: 0x757575,
};
