import { useEffect } from 'react';
import type { AuditVerification } from './api-types';
import { useSession } from './session';
import { usePolling } from './use-polling';

/** The audit chain's state, re-checked every 30 s and after every action. */
export function AuditStatus() {
  const { api, changes } = useSession();
  const { data, error, refresh } = usePolling(() => api.get<AuditVerification>('/api/v1/audit/verify'), { key: 'audit', intervalMs: 30_000 });
  useEffect(() => {
    if (changes > 0) refresh();
  }, [changes, refresh]);

  let text: string;
  let tone: 'ok' | 'bad' | 'unknown';
  let title: string;
  if (data === undefined) {
    tone = 'unknown';
    text = error === undefined ? 'Audit chain: checking…' : 'Audit chain: unknown';
    title = error ?? 'Walking the audit chain';
  } else if (data.ok) {
    tone = 'ok';
    text = `Audit chain ok · ${data.records} records`;
    title = `${data.timelineEntries} timeline entries match the chain. Head: ${data.head}`;
  } else {
    tone = 'bad';
    text = `Audit chain FAILED at record ${data.failure.seq ?? '?'}: ${data.failure.reason}`;
    title = data.failure.message;
  }
  return (
    <span className={`audit audit-${tone}`} data-testid="audit-status" title={title} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {text}
      {tone === 'bad' ? <span className="audit-message"> — {data?.ok === false ? data.failure.message : ''}</span> : null}
    </span>
  );
}
