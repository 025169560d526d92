import type { ChannelConfig } from '../core/contact.js';
import type { ChannelAdapter, DeliveryResult, Notification } from '../core/notifier.js';
import type { AdapterOptions } from './adapter-options.js';
import { postJson } from './http-delivery.js';
import { escapeHtml, facts, headline, subjectOf } from './message-text.js';

type TelegramConfig = Extract<ChannelConfig, { kind: 'telegram' }>;

export const defaultTelegramApi = 'https://api.telegram.org';

/** The body of Bot API `sendMessage`: HTML parse mode, everything from the incident escaped. */
export function telegramBody(config: Pick<TelegramConfig, 'chatId'>, n: Notification) {
  const lines = [`<b>${escapeHtml(headline(n))}</b>`, ...facts(n).map((f) => `${f.label}: ${escapeHtml(f.value)}`)];
  if (n.url !== null) lines.push(`<a href="${escapeHtml(n.url)}">Open ${escapeHtml(subjectOf(n))}</a>`);
  return { chat_id: config.chatId, text: lines.join('\n').slice(0, 4096), parse_mode: 'HTML', disable_web_page_preview: true };
}

/**
 * Telegram Bot API `sendMessage`. Telegram answers 400 for a chat it cannot find and 401 for a
 * bad token (dead), and 429 with `parameters.retry_after` in the body when flooded.
 */
export class TelegramAdapter implements ChannelAdapter<'telegram'> {
  readonly kind = 'telegram' as const;
  readonly #options: AdapterOptions;

  constructor(options: AdapterOptions) {
    this.#options = options;
  }

  async deliver(config: TelegramConfig, n: Notification): Promise<DeliveryResult> {
    const base = (config.apiBaseUrl ?? defaultTelegramApi).replace(/\/+$/, '');
    const { responseText, ...result } = await postJson({
      url: `${base}/bot${config.botToken}/sendMessage`,
      body: JSON.stringify(telegramBody(config, n)),
      timeoutMs: this.#options.timeoutMs,
      now: this.#options.clock.now(),
    });
    if (result.outcome === 'retry' && result.status === 429 && result.retryAfterMs === undefined) {
      const retryAfter = retryAfterFromBody(responseText);
      if (retryAfter !== undefined) return { ...result, retryAfterMs: retryAfter * 1000 };
    }
    return result;
  }
}

function retryAfterFromBody(text: string | undefined): number | undefined {
  try {
    const value = (JSON.parse(text ?? '') as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    return typeof value === 'number' && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
