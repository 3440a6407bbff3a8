// Logging with redaction: the API key (and anything shaped like one, or any bearer token) never
// reaches a log line, whatever the caller's logger does with it.
import type { KimiLogger } from './types';

const KEY_SHAPED = /\bsk-[A-Za-z0-9_-]{6,}/g;
const BEARER = /(Bearer\s+)[^\s"',;]+/gi;
const URL_CREDENTIALS = /(\/\/)[^/@\s:]+:[^/@\s]+@/g;
/** Bodies in the debug log are cut here: enough to see what was asked, not a whole file. */
const MAX_BODY_CHARS = 2_000;
/** VS Code's LogLevel values (Off 0, Trace 1, Debug 2, Info 3…), read without importing vscode. */
const DEBUG_LEVEL = 2;

/** Replaces the given secrets and anything key-shaped in `text`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join('***');
  return out.replace(KEY_SHAPED, 'sk-***').replace(BEARER, '$1***').replace(URL_CREDENTIALS, '$1***@');
}

/** A URL for a log line: no user:password, no query string, no fragment. */
export function loggableUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return redact(raw.replace(/[?#].*$/, ''));
  }
}

export class ClientLog {
  readonly #logger: KimiLogger | undefined;
  readonly #secrets: string[];

  constructor(logger: KimiLogger | undefined, secrets: string[]) {
    this.#logger = logger;
    this.#secrets = secrets;
  }

  get enabled(): boolean {
    return this.#logger !== undefined;
  }

  /** True when debug lines are shown: a VS Code LogOutputChannel says by its logLevel, other loggers get everything. */
  get debugEnabled(): boolean {
    if (!this.#logger) return false;
    const level = (this.#logger as { logLevel?: unknown }).logLevel;
    return typeof level !== 'number' || (level > 0 && level <= DEBUG_LEVEL);
  }

  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  debug(message: string): void {
    if (this.debugEnabled) this.#logger!.debug(this.redact(message));
  }

  /** A request or response body, at debug only, cut and redacted. */
  debugBody(label: string, body: unknown): void {
    if (!this.debugEnabled || body === undefined) return;
    let text = typeof body === 'string' ? body : JSON.stringify(body);
    if (text.length > MAX_BODY_CHARS) text = `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} chars)`;
    this.debug(`${label} ${text}`);
  }

  info(message: string): void {
    this.#logger?.info(this.redact(message));
  }

  warn(message: string): void {
    this.#logger?.warn(this.redact(message));
  }
}
