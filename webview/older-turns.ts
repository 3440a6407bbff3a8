// A long conversation opens at its end: the transcript renders the last turns at once and the older
// ones here, newest first, in idle moments (a few milliseconds at a time), so that opening 300 turns
// does not hold the panel for a second. Within about a second of idle time every turn is in the page
// (for find and copy).

/** Text rendered at once when a conversation opens: more than a tall panel shows. */
const FIRST_CHARS = 6_000;
/** Always at least the last question and its answer. */
const FIRST_TURNS = 2;

/** Where the turns rendered at once begin: the last ones, up to about a screenful of text or more. */
export function firstShown(turns: readonly { content: string }[]): number {
  let chars = 0;
  let i = turns.length;
  while (i > 0 && (turns.length - i < FIRST_TURNS || chars < FIRST_CHARS)) {
    i--;
    chars += turns[i]!.content.length;
  }
  return i;
}
/** Render at most this long per idle callback (a frame is 16 ms). */
const CHUNK_MS = 8;

export class OlderTurns<T> {
  private pending: T[] = [];
  private handle: number | undefined;

  constructor(
    private readonly render: (turn: T) => HTMLElement,
    private readonly prepend: (articles: HTMLElement[]) => void,
  ) {}

  /** Renders `turns` (oldest first) above what is shown, newest first, when the page is idle. */
  start(turns: T[]): void {
    this.cancel();
    this.pending = turns;
    this.schedule();
  }

  cancel(): void {
    if (this.handle !== undefined) cancelIdleCallback(this.handle);
    this.handle = undefined;
    this.pending = [];
  }

  private schedule(): void {
    if (this.pending.length) this.handle = requestIdleCallback((deadline) => this.chunk(deadline), { timeout: 100 });
  }

  private chunk(deadline: IdleDeadline): void {
    this.handle = undefined;
    const start = performance.now();
    const budget = Math.max(CHUNK_MS, Math.min(deadline.timeRemaining(), 16));
    const articles: HTMLElement[] = [];
    // At least one turn per callback, so that a busy page still gets there.
    do articles.unshift(this.render(this.pending.pop()!));
    while (this.pending.length && performance.now() - start < budget);
    this.prepend(articles);
    this.schedule();
  }
}
