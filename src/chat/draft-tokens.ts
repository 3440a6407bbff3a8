// The token count of the question being typed (with the conversation before it), shown before
// sending. Debounced: one estimate request per pause in typing, and stale answers are dropped.
// It follows the status bar's rules (src/shared/privacy.ts): a draft that contains a key, Restricted
// Mode or kimi.tokenCount "off" get a local estimate and nothing is sent; so does a failed count.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import type { KimiService } from '../core/service';
import type { ChatMessage } from '../kimi/types';
import { localReasonText, tokenCountMode } from '../core/token-count';
import { containsSecret, estimateTokens, LocalReason } from '../shared/privacy';

const DEBOUNCE_MS = 400;

/** `estimated`: why this is a local estimate (for the tooltip); absent when the API counted it. */
export type DraftReport = (count: number | null, contextLength?: number, estimated?: string) => void;

export class DraftTokens extends Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | undefined;
  private generation = 0;
  /** The last count from the API, so showing the same draft again (e.g. after a reload) costs no request. */
  private last: { key: string; count: number; contextLength: number | undefined } | undefined;

  constructor(
    private readonly kimi: KimiService,
    private readonly report: DraftReport,
  ) {
    super();
    this.register({ dispose: () => this.cancel() });
  }

  update(model: string, history: ChatMessage[], draft: string): void {
    this.cancel();
    if (!draft.trim()) {
      this.report(null);
      return;
    }
    const messages: ChatMessage[] = [...history, { role: 'user', content: draft }];
    const key = createHash('sha1').update(model).update('\0').update(JSON.stringify(messages)).digest('base64');
    if (this.last?.key === key) {
      this.report(this.last.count, this.last.contextLength);
      return;
    }
    const generation = this.generation;
    this.timer = setTimeout(() => void this.count(generation, key, model, messages, draft), DEBOUNCE_MS);
  }

  cancel(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
  }

  private async count(generation: number, key: string, model: string, messages: ChatMessage[], draft: string): Promise<void> {
    const apiKey = await this.kimi.apiKey();
    if (!apiKey || generation !== this.generation) return;
    const local: LocalReason | undefined = !vscode.workspace.isTrusted
      ? 'untrusted'
      : containsSecret(draft, apiKey.key)
        ? 'secretText'
        : undefined;
    if (local || tokenCountMode() === 'off') {
      this.estimate(messages, local ? localReasonText(local) : vscode.l10n.t('kimi.tokenCount is "off", so nothing is sent for counting; this is a local estimate.'));
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    try {
      const client = await this.kimi.requireClientQuietly();
      if (generation !== this.generation) return;
      const count = await client.countTokens(model, messages, { signal: abort.signal });
      const contextLength = await this.kimi.contextLength(model);
      this.last = { key, count, contextLength };
      if (generation === this.generation) this.report(count, contextLength);
    } catch (e) {
      if (generation === this.generation && !abort.signal.aborted) {
        const why = this.kimi.describeError(e).message;
        this.kimi.log.debug(`Draft token count failed: ${why}`);
        this.estimate(messages, localReasonText('failed', why));
      }
    }
  }

  private estimate(messages: ChatMessage[], reason: string): void {
    const text = messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n');
    this.report(estimateTokens(text), undefined, reason);
  }
}
