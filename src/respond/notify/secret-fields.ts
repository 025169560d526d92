import type { ChannelConfig } from '../../core/contact.js';
import { VigilError } from '../../core/errors.js';

/** What a masked secret starts with. Sending it back unchanged keeps the stored secret. */
export const MASK = '********';

/** Paths of the fields that are secret, per kind. */
const secretPaths: Readonly<Record<ChannelConfig['kind'], readonly (readonly string[])[]>> = {
  email: [['smtp', 'password']],
  webhook: [['url'], ['secret']],
  slack: [['url']],
  discord: [['url']],
  telegram: [['botToken']],
  teams: [['url']],
};

function get(o: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}

function set(o: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const parent = path.slice(0, -1).reduce<Record<string, unknown>>((v, k) => {
    v[k] = { ...(v[k] as Record<string, unknown>) };
    return v[k] as Record<string, unknown>;
  }, o);
  parent[path[path.length - 1]!] = value;
}

/**
 * How a secret is shown: a URL keeps its origin (which service it is) and the last 4
 * characters; any other secret only its last 4, and only when it is long enough that 4
 * characters give nothing away.
 */
export function maskSecret(value: string): string {
  const tail = value.length >= 16 ? value.slice(-4) : '';
  try {
    const url = new URL(value);
    return `${url.origin}/${MASK}${tail}`;
  } catch {
    return `${MASK}${tail}`;
  }
}

/** The config with every secret field masked: what the API and the CLI show. */
export function maskConfig(config: ChannelConfig): ChannelConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const path of secretPaths[config.kind]) {
    const value = get(copy, path);
    if (typeof value === 'string') set(copy, path, maskSecret(value));
  }
  return copy as unknown as ChannelConfig;
}

/**
 * A config written back with masked secrets (as the API showed them) keeps the secrets already
 * stored for it; `where` names the field for the error when there is nothing to keep.
 */
export function keepMaskedSecrets(config: ChannelConfig, stored: ChannelConfig | undefined, where: string): ChannelConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const path of secretPaths[config.kind]) {
    const value = get(copy, path);
    if (typeof value !== 'string' || !value.includes(MASK)) continue;
    const kept = stored?.kind === config.kind ? get(stored, path) : undefined;
    if (typeof kept !== 'string') {
      throw new VigilError('VALIDATION_FAILED', `${where}.${path.join('.')} is masked but no secret is stored to keep; send the real value`, {
        details: [{ path: `${where}.${path.join('.')}`, message: 'masked value with no stored secret' }],
      });
    }
    set(copy, path, kept);
  }
  return copy as unknown as ChannelConfig;
}
