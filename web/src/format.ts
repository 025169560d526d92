/** Times as the API gives them: ISO 8601 UTC with milliseconds, shown as `2026-11-23 12:03:04.123Z`. */
export function utcTime(iso: string | null): string {
  if (iso === null) return '—';
  return iso.replace('T', ' ');
}

/** How long ago, in the largest two units: `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function age(iso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** `HH:MM:SS` local time, for "updated at". */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}
