// The account balance shown in the status-bar tooltip, free of vscode so unit tests drive it. It is
// fetched only when asked (the status bar asks while building a tooltip, after a count succeeded) and
// at most once per `maxAgeMs`, failures included, so hovering or typing never floods the endpoint.
import type { Balance } from '../kimi';
import { realClock, type Clock } from './counter';

export const BALANCE_MAX_AGE_MS = 5 * 60_000;

export type BalanceFetch = (signal: AbortSignal) => Promise<Balance>;

export class AccountBalance {
  #known: Balance | undefined;
  #askedAt: number | undefined;
  #inFlight: AbortController | undefined;

  constructor(
    private readonly fetch: BalanceFetch,
    /** Called when what `known` returns changed (a fetch answered or failed). */
    private readonly onChange: () => void,
    private readonly maxAgeMs = BALANCE_MAX_AGE_MS,
    private readonly clock: Pick<Clock, 'now'> = realClock,
  ) {}

  /** The last balance fetched, undefined before the first answer or after a failed fetch. */
  get known(): Balance | undefined {
    return this.#known;
  }

  /** Starts a fetch unless one is running or one started less than `maxAgeMs` ago. */
  refreshIfStale(): void {
    const now = this.clock.now();
    if (this.#inFlight || (this.#askedAt !== undefined && now - this.#askedAt < this.maxAgeMs)) return;
    this.#askedAt = now;
    const controller = (this.#inFlight = new AbortController());
    this.fetch(controller.signal).then(
      (balance) => this.#settle(controller, balance),
      // A stale figure would look current: show none until the next fetch answers.
      () => this.#settle(controller, undefined),
    );
  }

  /** Another account: drops the figure, stops a fetch on its way and allows the next one at once. */
  forget(): void {
    this.#inFlight?.abort();
    this.#inFlight = undefined;
    this.#known = undefined;
    this.#askedAt = undefined;
  }

  dispose(): void {
    this.forget();
  }

  #settle(controller: AbortController, balance: Balance | undefined): void {
    if (this.#inFlight !== controller) return;
    this.#inFlight = undefined;
    this.#known = balance;
    this.onChange();
  }
}
