// Streams the code of an answer straight into a document (see EditQueue), with a progress
// notification: "Thinking… 12 s" while a thinking model reasons, then the characters written; Cancel.
// Only the answer's first code block goes in: reasoning never reaches the document.
import * as vscode from 'vscode';
import type { KimiService } from '../core/service';
import { chatParams, modelFacts, type KimiClient } from '../kimi';
import type { ChatMessage } from '../kimi/types';
import { ChatRun, type RunRequest } from '../shared/answer-run';
import { CodeExtractor } from './code-extractor';
import { EditQueue } from './edit-queue';

export interface StreamEditOptions {
  kimi: KimiService;
  editor: vscode.TextEditor;
  /** The selection to replace, or an empty range at the cursor. */
  range: vscode.Range;
  messages: ChatMessage[];
  title: string;
  /**
   * End the code with a line break (when it replaces whole lines, or goes in at the start of a line
   * with text): a code block's content has none after its last line.
   */
  endWithNewline?: boolean;
  /** Cancels like the notification's Cancel button (tests, Stop). */
  cancel?: vscode.CancellationToken;
  /** Sees every progress message shown (the test API relays them). */
  onProgress?(message: string): void;
}

export interface StreamEditResult {
  outcome: 'done' | 'cancelled' | 'noCode' | 'error';
  /** Why it was cancelled: the user (Cancel) or the document being closed. */
  cancelledBy?: 'user' | 'close';
  /** The answer ended at max_tokens (a thinking model may spend it all on reasoning). */
  cutOff?: boolean;
  inserted: string;
  answer: string;
  error?: unknown;
}

const THINKING_TICK_MS = 1000;
const REPORT_EVERY_MS = 250;

export async function streamIntoEditor(o: StreamEditOptions): Promise<StreamEditResult> {
  const client = await o.kimi.requireClient();
  const edit = new EditStream(o, client);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: o.title, cancellable: true }, (shown, token) =>
      edit.run(shown, token),
    );
  } finally {
    edit.dispose();
  }
}

/** One answer streamed into one document: its code goes in as it arrives, the rest is dropped. */
class EditStream {
  private readonly queue: EditQueue;
  private readonly extractor = new CodeExtractor();
  private readonly progress: EditProgress;
  private readonly chat: ChatRun;
  private readonly closing: vscode.Disposable;
  private answer = '';
  private inserted = '';
  private cancelledBy: 'user' | 'close' | undefined;

  constructor(
    private readonly o: StreamEditOptions,
    client: KimiClient,
  ) {
    this.queue = new EditQueue(o.editor, o.range);
    this.progress = new EditProgress(o.onProgress);
    this.chat = new ChatRun({
      client,
      messages: o.messages,
      ...editRequest(o.kimi),
      onText: (text) => {
        this.progress.stopThinking();
        this.answer += text;
        this.push(this.extractor.push(text));
        // Everything after the code block is prose we would drop anyway: stop paying for it.
        if (this.extractor.done) this.chat.stop();
      },
      // The reasoning itself is never kept: only its duration is shown.
      onReasoning: () => {
        if (!this.answer) this.progress.startThinking();
      },
    });
    // Later batches would land at stale offsets of a reopened document: stop the request now.
    this.queue.onClosed = () => this.cancel('close');
    this.closing = vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc === this.queue.document) this.queue.markClosed();
    });
  }

  async run(shown: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): Promise<StreamEditResult> {
    this.progress.attach(shown);
    const subs = [token.onCancellationRequested(() => this.cancel('user')), this.o.cancel?.onCancellationRequested(() => this.cancel('user'))];
    if (this.o.cancel?.isCancellationRequested) this.cancel('user');
    try {
      let error: unknown;
      let cutOff = false;
      try {
        cutOff = (await this.chat.start()).finishReason === 'length';
      } catch (e) {
        error = e;
      }
      this.progress.stopThinking();
      this.push(this.extractor.finish());
      if (this.o.endWithNewline && this.inserted && !this.inserted.endsWith('\n')) this.push('\n');
      await this.queue.finish();
      return this.result(error, cutOff);
    } finally {
      for (const sub of subs) sub?.dispose();
    }
  }

  dispose(): void {
    this.progress.stopThinking();
    this.closing.dispose();
    this.queue.dispose();
  }

  private result(error: unknown, cutOff: boolean): StreamEditResult {
    const base = { inserted: this.inserted, answer: this.answer, ...(cutOff ? { cutOff } : {}) };
    if (this.cancelledBy) return { outcome: 'cancelled', cancelledBy: this.cancelledBy, ...base };
    if (error !== undefined) return { outcome: 'error', error, ...base };
    if (!this.extractor.foundCode) return { outcome: 'noCode', ...base };
    return { outcome: 'done', ...base };
  }

  private push(code: string): void {
    if (!code) return;
    this.inserted += code;
    this.queue.push(code);
    this.progress.report(vscode.l10n.t('{0} characters', this.inserted.length));
  }

  private cancel(by: 'user' | 'close'): void {
    this.cancelledBy ??= by;
    this.chat.stop();
  }
}

/**
 * A thinking model spends part of max_tokens reasoning, and a fixed-sampling one rejects
 * temperature: the model's own rules decide what is sent (a max_tokens the user set still wins).
 */
function editRequest(kimi: KimiService): Pick<RunRequest, 'model' | 'maxTokens' | 'temperature'> {
  const settings = kimi.settings();
  const userMaxTokens = vscode.workspace.getConfiguration('kimi').inspect<number>('maxTokens');
  const explicitMax = userMaxTokens?.globalValue ?? userMaxTokens?.workspaceValue ?? userMaxTokens?.workspaceFolderValue;
  const params = chatParams(modelFacts(settings.model), {
    thinking: 'auto',
    ...(explicitMax !== undefined ? { maxTokens: settings.maxTokens } : {}),
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
  });
  return {
    model: settings.model,
    maxTokens: params.max_tokens ?? settings.maxTokens,
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
  };
}

/** The notification's message: the characters written (at most every 250 ms), or "Thinking… 12 s" ticking while the model reasons. */
class EditProgress {
  private shown: vscode.Progress<{ message?: string }> | undefined;
  private lastReport = 0;
  private thinkingSince: number | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly onProgress?: (message: string) => void) {}

  attach(shown: vscode.Progress<{ message?: string }>): void {
    this.shown = shown;
  }

  report(message: string): void {
    if (Date.now() - this.lastReport >= REPORT_EVERY_MS) this.show(message);
  }

  /** Starts the count once; it stops for good when the answer's text begins. */
  startThinking(): void {
    if (this.thinkingSince !== undefined) return;
    this.thinkingSince = Date.now();
    this.showThinking();
    this.ticker = setInterval(() => this.showThinking(), THINKING_TICK_MS);
  }

  stopThinking(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private showThinking(): void {
    this.show(vscode.l10n.t('Thinking… {0} s', Math.floor((Date.now() - (this.thinkingSince ?? Date.now())) / 1000)));
  }

  private show(message: string): void {
    this.lastReport = Date.now();
    this.shown?.report({ message });
    this.onProgress?.(message);
  }
}
