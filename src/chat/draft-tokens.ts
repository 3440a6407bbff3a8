// The token count of the question being typed (with the conversation before it), shown before
// sending. Debounced: one estimate request per pause in typing, and stale answers are dropped.
import type * as vscode from 'vscode';
import type { KimiService } from '../config/service';
import type { ChatMessage } from '../kimi/types';

const DEBOUNCE_MS = 400;

export class DraftTokens implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | undefined;
  private generation = 0;

  constructor(
    private readonly kimi: KimiService,
    private readonly report: (count: number | null, contextLength?: number) => void,
  ) {}

  update(model: string, history: ChatMessage[], draft: string): void {
    this.cancel();
    if (!draft.trim()) {
      this.report(null);
      return;
    }
    const generation = this.generation;
    this.timer = setTimeout(() => void this.count(generation, model, [...history, { role: 'user', content: draft }]), DEBOUNCE_MS);
  }

  cancel(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
  }

  private async count(generation: number, model: string, messages: ChatMessage[]): Promise<void> {
    const client = await this.kimi.client();
    if (!client || generation !== this.generation) return;
    const abort = new AbortController();
    this.abort = abort;
    try {
      const count = await client.countTokens(model, messages, { signal: abort.signal });
      const contextLength = await this.kimi.contextLength(model);
      if (generation === this.generation) this.report(count, contextLength);
    } catch (e) {
      if (generation === this.generation && !abort.signal.aborted) {
        this.kimi.log.debug(`Draft token count failed: ${this.kimi.describeError(e).message}`);
        this.report(null);
      }
    }
  }

  dispose(): void {
    this.cancel();
  }
}
