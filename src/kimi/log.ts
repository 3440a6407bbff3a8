// Logging with redaction: the API key (and anything shaped like one, or any bearer token) never
// reaches a log line, whatever the caller's logger does with it.
import type { KimiLogger } from './types';

const KEY_SHAPED = /\bsk-[A-Za-z0-9_-]{6,}/g;
const BEARER = /(Bearer\s+)[^\s"',;]+/gi;
const URL_CREDENTIALS = /(\/\/)[^/@\s:]+:[^/@\s]+@/g;

/** Replaces the given secrets and anything key-shaped in `text`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join('***');
  return out.replace(KEY_SHAPED, 'sk-***').replace(BEARER, '$1***').replace(URL_CREDENTIALS, '$1***@');
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

  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  debug(message: string): void {
    this.#logger?.debug(this.redact(message));
  }

  warn(message: string): void {
    this.#logger?.warn(this.redact(message));
  }
}
