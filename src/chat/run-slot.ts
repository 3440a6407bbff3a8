// The one place that serialises the chat's answers: at most one runs, and whatever starts another
// (send, regenerate, continue, edit, chat with a cache, delete) stops the running one and waits for it
// to end first. No vscode import: unit-tested in plain Node.

export interface StoppableRun {
  /** Asks the run to stop (it ends soon after, keeping what it has). */
  stop(): void;
  /** Settles when the run has ended (saved and reported). */
  readonly finished: Promise<unknown>;
}

export class RunSlot<R extends StoppableRun> {
  private running: R | undefined;

  get current(): R | undefined {
    return this.running;
  }

  /**
   * Stops the running answer (if any), waits for it to end, then calls `start` with no await between
   * the last check and the call, so two quick callers cannot both start a run.
   */
  async next<T>(start: () => T): Promise<Awaited<T>> {
    while (this.running) await this.stopAndWait();
    return await start();
  }

  /** `start` of `next` calls this synchronously for the run it starts. */
  begin(run: R): void {
    if (this.running && this.running !== run) throw new Error('An answer is already running.');
    this.running = run;
  }

  /** The run calls this when it has ended. */
  end(run: R): void {
    if (this.running === run) this.running = undefined;
  }

  stop(): void {
    this.running?.stop();
  }

  /** Stops the running answer and waits for it to end (its failure is its own to report). */
  async stopAndWait(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.stop();
    await running.finished.catch(() => undefined);
  }
}
