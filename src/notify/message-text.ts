import type { Notification } from '../core/notifier.js';

/** `[SEV1] INC-42 Hot wallet drained`: the line every channel leads with. */
export function headline(n: Notification): string {
  return `[${n.severity}] ${n.incidentRef} ${n.title}`;
}

/** The facts every message carries, as label and value. */
export function facts(n: Notification): { label: string; value: string }[] {
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
export const severityColour: Readonly<Record<Notification['severity'], number>> = {
  SEV1: 0xd32f2f,
  SEV2: 0xf57c00,
  SEV3: 0xfbc02d,
  SEV4: 0x1976d2,
  SEV5: 0x757575,
};
