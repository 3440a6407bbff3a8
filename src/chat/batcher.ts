// Coalesces answer text into one message per short interval: hundreds of tiny deltas per second
// would otherwise each cross the host/webview boundary.

export class DeltaBatcher {
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalMs = 24,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is pending now (before the end-of-turn message, so nothing arrives after it). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.send(text);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = '';
  }
}
