// Each feature registers on its own: one that throws is logged and reported once, and the others
// still register (a broken cache tree must not take the chat and the key commands with it).
import * as vscode from 'vscode';
import { dialogs } from './dialogs';

/** Test mode only: the host runner names a feature whose registration then throws (see extension.ts). */
export const FAIL_FEATURE_ENV = 'KIMI_TEST_FAIL_FEATURE';

export interface FeatureFailure {
  /** The feature's id (as FAIL_FEATURE_ENV names it). */
  id: string;
  /** What a Kimi user calls it. */
  label: string;
  error: unknown;
}

export class FeatureStarter {
  readonly failures: FeatureFailure[] = [];
  /** Milliseconds each registration took (the activation bench prints them). */
  readonly phases: Record<string, number> = {};
  /** The notification shown about failures, if any (read by host tests). */
  notice: { message: string; actions: string[] } | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly failOnPurpose?: string,
  ) {}

  /** Runs one feature's registration; undefined when it threw. */
  start<T>(id: string, label: string, register: () => T): T | undefined {
    const t0 = performance.now();
    try {
      if (id === this.failOnPurpose) throw new Error(`${FAIL_FEATURE_ENV}=${id}: this registration fails on purpose (Test mode).`);
      return register();
    } catch (error) {
      this.failures.push({ id, label, error });
      this.log.error(`${label} could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    } finally {
      this.phases[id] = performance.now() - t0;
    }
  }

  /** One notification for all failed features, with Show Log. */
  reportFailures(): void {
    if (!this.failures.length) return;
    const names = this.failures.map((f) => f.label).join(', ');
    const showLog = vscode.l10n.t('Show Log');
    const message = vscode.l10n.t('Kimi: {0} could not start (the rest of Kimi works). The log says why.', names);
    this.notice = { message, actions: [showLog] };
    void dialogs.error(message, showLog).then((choice) => {
      if (choice === showLog) this.log.show(true);
    });
  }
}
